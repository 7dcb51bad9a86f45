/// A sparse n x n matrix in compressed rows (CSR, like `scipy.sparse.csr_matrix`), columns
/// increasing within each row: t-SNE's joint P and UMAP's fuzzy graph.
public struct SparseSymmetricMatrix: Sendable, Equatable {
    public var size: Int
    /// Row i's entries are `columns[rowStart[i] ..< rowStart[i + 1]]`, n + 1 values.
    public var rowStart: [Int]
    public var columns: [Int]
    public var values: [Double]

    /// From (row, column, value) triplets; duplicates are summed (scipy's `sum_duplicates`)
    /// and entries that are exactly 0 dropped (`eliminate_zeros`).
    init(size n: Int, triplets: [(row: Int, column: Int, value: Double)]) {
        var byRow = [[(column: Int, value: Double)]](repeating: [], count: n)
        for t in triplets { byRow[t.row].append((t.column, t.value)) }
        var rowStart = [0]
        var columns: [Int] = []
        var values: [Double] = []
        for entries in byRow {
            let sorted = entries.sorted { $0.column < $1.column }
            var index = 0
            while index < sorted.count {
                var sum = sorted[index].value
                var next = index + 1
                while next < sorted.count && sorted[next].column == sorted[index].column {
                    sum += sorted[next].value
                    next += 1
                }
                if sum != 0 {
                    columns.append(sorted[index].column)
                    values.append(sum)
                }
                index = next
            }
            rowStart.append(columns.count)
        }
        self.size = n
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
    }

    /// The value at (i, j), 0 where none is stored.
    public subscript(i: Int, j: Int) -> Double {
        for index in rowStart[i]..<rowStart[i + 1] where columns[index] == j { return values[index] }
        return 0
    }

    /// Number of stored entries.
    public var entryCount: Int { values.count }
}
