extension HierarchicalClustering {
    /// The dendrogram as a Newick tree, e.g. `((a:0.5,b:0.5):1.5,c:2.0);`.
    ///
    /// Each branch is as long as the height of its parent merge minus its own height (0 for a
    /// leaf), so every leaf lies at the root's height from the root; centroid and median trees
    /// with inversions get negative lengths. Children are written `first` before `second`, so the
    /// leaves appear in ``leafOrder(_:)``. Numbers use Swift's shortest round-trip form (as
    /// Python's `repr`). Labels are written as they are, IPA included, unless they are empty or
    /// hold a character Newick reserves - whitespace, `()[]':;,` or `_` (which unquoted means a
    /// blank) - in which case they are quoted with single quotes and inner quotes doubled, as the
    /// Newick standard asks (`it's` becomes `'it''s'`).
    ///
    /// - Throws: ``ClusteringError/countMismatch(what:expected:actual:)`` unless there is one
    ///   label per leaf.
    public static func newick(_ z: LinkageMatrix, labels: [String]) throws -> String {
        let n = z.leafCount
        guard labels.count == n else {
            throw ClusteringError.countMismatch(
                what: "labels of a tree of \(n) leaves", expected: n, actual: labels.count)
        }
        func height(_ node: Int) -> Double { node < n ? 0 : z.merges[node - n].height }
        enum Step {
            case open(Int, parentHeight: Double?)
            case comma
            case close(Int, parentHeight: Double?)
        }
        var text = ""
        func writeLength(_ node: Int, _ parentHeight: Double?) {
            if let parentHeight { text += ":\(parentHeight - height(node))" }
        }
        var steps: [Step] = [.open(2 * n - 2, parentHeight: nil)]
        while let step = steps.popLast() {
            switch step {
            case .open(let node, let parentHeight):
                if node < n {
                    text += newickLabel(labels[node])
                    writeLength(node, parentHeight)
                } else {
                    let (first, second) = z.children(node)
                    text += "("
                    steps.append(.close(node, parentHeight: parentHeight))
                    steps.append(.open(second, parentHeight: height(node)))
                    steps.append(.comma)
                    steps.append(.open(first, parentHeight: height(node)))
                }
            case .comma:
                text += ","
            case .close(let node, let parentHeight):
                text += ")"
                writeLength(node, parentHeight)
            }
        }
        return text + ";"
    }

    /// A label as Newick needs it: unchanged, or quoted if it is empty or holds a reserved character.
    static func newickLabel(_ label: String) -> String {
        let reserved: Set<Character> = ["(", ")", "[", "]", "'", ":", ";", ",", "_"]
        let needsQuotes = label.isEmpty || label.contains { reserved.contains($0) || $0.isWhitespace }
        guard needsQuotes else { return label }
        return "'" + label.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }
}
