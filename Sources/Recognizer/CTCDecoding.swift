import Foundation

/// The best path of a CTC output: what greedy decoding read at each frame and what it spelled.
public struct CTCGreedyResult: Sendable, Equatable {
    /// The labelling: `path` with repeats merged and blanks dropped.
    public var labels: [Int]
    /// The highest-scoring class at every frame (ties go to the lowest class index).
    public var path: [Int]
    /// For each label in `labels`, the first frame of the run of frames that emitted it (the
    /// letter's onset, as the event alignment wants it).
    public var startFrames: [Int]
}

/// One labelling found by prefix beam search, with its probability summed over its paths.
public struct CTCHypothesis: Sendable, Equatable {
    public var labels: [Int]
    /// log p(labels | scores), summed over every path that spells `labels` and survived the beam.
    public var logProbability: Double
}

extension CTC {
    /// Greedy (best-path) decoding: the arg-max class of each frame, repeats merged, blanks
    /// dropped [CTC06].
    ///
    /// The arg-max of logits and of log-probabilities are the same, so `scores` may be either.
    /// Greedy decoding finds the most probable path, which need not spell the most probable
    /// labelling; `beamSearch` sums over paths.
    ///
    /// - Parameters:
    ///   - scores: `frames x classes`, row-major.
    ///   - frames: T.
    ///   - classes: C, including the blank.
    ///   - blank: the blank's class index.
    /// - Returns: the labelling, the frame-wise path and the frame where each label starts.
    /// - Throws: `CTCError` for a bad blank or score count.
    public static func greedy(scores: [Float], frames: Int, classes: Int, blank: Int) throws -> CTCGreedyResult {
        try validate(scores: scores.count, frames: frames, classes: classes, target: [], blank: blank)
        var result = CTCGreedyResult(labels: [], path: [], startFrames: [])
        result.path.reserveCapacity(frames)
        var previous = blank
        for t in 0..<frames {
            let row = t * classes
            var best = 0
            for c in 1..<classes where scores[row + c] > scores[row + best] { best = c }
            result.path.append(best)
            if best != blank && best != previous {
                result.labels.append(best)
                result.startFrames.append(t)
            }
            previous = best
        }
        return result
    }

    /// Prefix beam search without a language model: the `beamWidth` most probable labellings.
    ///
    /// Concretely: every prefix in the beam keeps two log-probabilities, of the paths so far
    /// that spell it and end in a blank (pb) or in its last label (pnb). A frame extends each
    /// prefix by every class: a blank adds to pb, its last label again adds to pnb of the same
    /// prefix (merged repeat) and, from pb only, to pnb of the prefix with that label repeated;
    /// any other label adds to pnb of the longer prefix. Prefixes reached by several routes are
    /// merged, then the `beamWidth` with the largest pb + pnb survive. With a beam at least as
    /// wide as the number of possible prefixes the probabilities are exact.
    ///
    /// Ties are broken deterministically: equal probabilities put the shorter labelling first,
    /// then the lexicographically smaller one.
    ///
    /// - Parameters:
    ///   - logProbabilities: `frames x classes` per-frame log-probabilities, row-major.
    ///   - frames: T.
    ///   - classes: C, including the blank.
    ///   - blank: the blank's class index.
    ///   - beamWidth: how many prefixes survive each frame (at least 1); 8 to 32 is usual,
    ///     wider beams cost time linearly and rarely change the best labelling without an LM.
    /// - Returns: at most `beamWidth` hypotheses, most probable first.
    /// - Throws: `CTCError` for a bad blank, score count or beam width.
    public static func beamSearch(
        logProbabilities: [Float], frames: Int, classes: Int, blank: Int, beamWidth: Int = 16
    ) throws -> [CTCHypothesis] {
        try validate(scores: logProbabilities.count, frames: frames, classes: classes, target: [], blank: blank)
        return try prefixBeamSearch(
            logProbabilities: logProbabilities.map { Double($0) }, frames: frames, classes: classes, blank: blank,
            beamWidth: beamWidth)
    }

    /// Prefix beam search on unnormalised scores: applies log-softmax per frame, then
    /// `beamSearch(logProbabilities:...)`.
    public static func beamSearch(
        logits: [Float], frames: Int, classes: Int, blank: Int, beamWidth: Int = 16,
        fusion: LanguageModelFusion? = nil
    ) throws -> [CTCHypothesis] {
        try validate(scores: logits.count, frames: frames, classes: classes, target: [], blank: blank)
        if let fusion, fusion.model.classes != classes || fusion.model.blank != blank {
            throw CTCError.invalidParameter(
                name: "language model classes", value: fusion.model.classes,
                valid: "the model's \(classes) classes with the blank at \(blank)")
        }
        if let lexicon = fusion?.lexicon, lexicon.classes != classes || lexicon.separator == blank {
            throw CTCError.invalidParameter(
                name: "lexicon classes", value: lexicon.classes,
                valid: "the model's \(classes) classes with a separator other than the blank \(blank)")
        }
        return try prefixBeamSearch(
            logProbabilities: logSoftmax(logits, frames: frames, classes: classes), frames: frames, classes: classes,
            blank: blank, beamWidth: beamWidth, fusion: fusion)
    }

    /// The search itself. Prefixes are nodes of a trie (node 0 is the empty prefix), so a prefix
    /// is one integer and extending it is one lookup. A frame's extensions that are not yet in
    /// the trie are new and reached by one route only; they become nodes only if they survive
    /// the pruning. Nothing iterates a dictionary, so the result does not depend on hashing.
    ///
    /// With `fusion`, a prefix is ranked by its CTC log-probability plus its language-model
    /// score (`LanguageModelFusion`, lexicon penalties included), and the final ranking adds the
    /// end of the sentence; the hypotheses' `logProbability` stays the CTC one.
    static func prefixBeamSearch(
        logProbabilities lp: [Double], frames: Int, classes: Int, blank: Int, beamWidth: Int,
        fusion: LanguageModelFusion? = nil
    ) throws -> [CTCHypothesis] {
        guard beamWidth >= 1 else {
            throw CTCError.invalidParameter(name: "beamWidth", value: beamWidth, valid: "1 or more")
        }
        var trie = PrefixTrie(classes: classes)
        /// A node's language-model log-probabilities of every next label and of the end, once.
        var distributions: [Int: (labels: [Double], end: Double)] = [:]
        func distribution(_ node: Int) -> (labels: [Double], end: Double) {
            if let known = distributions[node] { return known }
            let computed = fusion?.model.logDistribution(after: trie.labels(of: node)) ?? ([], 0)
            distributions[node] = computed
            return computed
        }
        let penalty = fusion.map { $0.lexicon == nil ? 0 : $0.oovPenalty } ?? 0
        var beam = [
            BeamCandidate(node: 0, parent: -1, label: -1, depth: 0, blankEnding: 0, labelEnding: -.infinity, total: 0)
        ]
        var position = [Int](repeating: -1, count: 1)  // node -> index in this frame's candidates
        var candidates = [BeamCandidate]()
        for t in 0..<frames {
            let row = t * classes
            candidates.removeAll(keepingCapacity: true)
            if position.count < trie.count { position += [Int](repeating: -1, count: trie.count - position.count) }
            /// Adds probability to an existing prefix, merging routes that reach the same node.
            func add(node: Int, depth: Int, blankEnding: Double, labelEnding: Double) {
                let index = position[node]
                if index >= 0 {
                    candidates[index].blankEnding = logAdd(candidates[index].blankEnding, blankEnding)
                    candidates[index].labelEnding = logAdd(candidates[index].labelEnding, labelEnding)
                } else {
                    position[node] = candidates.count
                    candidates.append(
                        BeamCandidate(
                            node: node, parent: -1, label: -1, depth: depth, blankEnding: blankEnding,
                            labelEnding: labelEnding, lm: trie.lm(of: node), word: trie.word(of: node)))
                }
            }
            /// Adds the paths that extend `entry` by `label`, ending in that label.
            func extend(_ entry: BeamCandidate, by label: Int, labelEnding: Double) {
                if let child = trie.child(of: entry.node, label: label) {
                    add(node: child, depth: entry.depth + 1, blankEnding: -.infinity, labelEnding: labelEnding)
                } else {
                    var lm =
                        fusion.map { entry.lm + $0.weight * distribution(entry.node).labels[label] + $0.bonus } ?? 0
                    var word = entry.word
                    if let lexicon = fusion?.lexicon {
                        let step = lexicon.step(entry.word, label)
                        word = step.state
                        if step.leaves { lm -= penalty }
                    }
                    candidates.append(
                        BeamCandidate(
                            node: -1, parent: entry.node, label: label, depth: entry.depth + 1,
                            blankEnding: -.infinity, labelEnding: labelEnding, lm: lm, word: word))
                }
            }
            for entry in beam {
                let total = entry.total
                let last = trie.label(of: entry.node)
                for c in 0..<classes {
                    let p = lp[row + c]
                    if p == -.infinity { continue }
                    if c == blank {
                        add(node: entry.node, depth: entry.depth, blankEnding: total + p, labelEnding: -.infinity)
                    } else if c == last {
                        // A repeat merges with the last label, unless a blank came between.
                        add(
                            node: entry.node, depth: entry.depth, blankEnding: -.infinity,
                            labelEnding: entry.labelEnding + p)
                        extend(entry, by: c, labelEnding: entry.blankEnding + p)
                    } else {
                        extend(entry, by: c, labelEnding: total + p)
                    }
                }
            }
            for index in candidates.indices {
                if candidates[index].node >= 0 { position[candidates[index].node] = -1 }
                candidates[index].total = logAdd(candidates[index].blankEnding, candidates[index].labelEnding)
            }
            var survivors = candidates.filter { $0.total > -.infinity }  // e.g. a repeat with no blank between
            survivors.sort { trie.precedes($0, $1) }
            beam = survivors.prefix(beamWidth).map { candidate in
                var candidate = candidate
                if candidate.node < 0 {
                    candidate.node = trie.addChild(
                        of: candidate.parent, label: candidate.label, lm: candidate.lm, word: candidate.word)
                }
                return candidate
            }
        }
        if let fusion {
            // The end of the sentence is part of the language model's probability, and closes the
            // last word.
            let final = beam.map { entry in
                let unfinished = fusion.lexicon?.closesOutside(entry.word) == true ? penalty : 0
                return entry.total + entry.lm + fusion.weight * distribution(entry.node).end - unfinished
            }
            let order = beam.indices.sorted { final[$0] != final[$1] ? final[$0] > final[$1] : $0 < $1 }
            beam = order.map { beam[$0] }
        }
        return beam.map { CTCHypothesis(labels: trie.labels(of: $0.node), logProbability: $0.total) }
    }
}

/// A prefix in or entering the beam: its trie node (or, for a new prefix, -1 with its parent
/// node and last label), its length, and the log-probabilities of its paths that end in a
/// blank and in its last label.
private struct BeamCandidate {
    var node: Int
    var parent: Int
    var label: Int
    var depth: Int
    var blankEnding: Double
    var labelEnding: Double
    /// log(exp(blankEnding) + exp(labelEnding)), set once a frame's routes are all merged.
    var total = -Double.infinity
    /// The prefix's language-model score (0 without fusion).
    var lm = 0.0
    /// The lexicon state of the prefix's last word (`Lexicon.wordStart` without a lexicon).
    var word = Lexicon.wordStart
    /// What the beam ranks by.
    var score: Double { total + lm }
}

/// The prefixes kept so far, as a trie: each node is its parent prefix plus one label.
private struct PrefixTrie {
    private var parents = [-1]
    private var lastLabels = [-1]
    private var lmScores = [0.0]
    private var words = [Lexicon.wordStart]
    private var children = [Int: Int]()  // parent * classes + label -> child
    private let classes: Int

    init(classes: Int) {
        self.classes = classes
    }

    var count: Int { parents.count }

    /// The last label of a prefix; -1 for the empty prefix.
    func label(of node: Int) -> Int { lastLabels[node] }

    /// The node of `node`'s prefix followed by `label`, if it exists.
    func child(of node: Int, label: Int) -> Int? { children[node * classes + label] }

    /// Adds the prefix `node` + `label` and returns its node.
    mutating func addChild(of node: Int, label: Int, lm: Double, word: Int) -> Int {
        parents.append(node)
        lastLabels.append(label)
        lmScores.append(lm)
        words.append(word)
        children[node * classes + label] = parents.count - 1
        return parents.count - 1
    }

    /// A node's language-model score.
    func lm(of node: Int) -> Double { lmScores[node] }

    /// A node's lexicon state.
    func word(of node: Int) -> Int { words[node] }

    /// The labels of a node's prefix, first to last.
    func labels(of node: Int) -> [Int] {
        var labels = [Int]()
        var current = node
        while current > 0 {
            labels.append(lastLabels[current])
            current = parents[current]
        }
        return labels.reversed()
    }

    /// The labels of a candidate, whether or not it has a node yet.
    func labels(of candidate: BeamCandidate) -> [Int] {
        candidate.node >= 0 ? labels(of: candidate.node) : labels(of: candidate.parent) + [candidate.label]
    }

    /// Beam order: more probable first; on a tie, shorter, then lexicographically smaller.
    func precedes(_ a: BeamCandidate, _ b: BeamCandidate) -> Bool {
        let (pa, pb) = (a.score, b.score)
        if pa != pb { return pa > pb }
        if a.depth != b.depth { return a.depth < b.depth }
        return labels(of: a).lexicographicallyPrecedes(labels(of: b))
    }
}
