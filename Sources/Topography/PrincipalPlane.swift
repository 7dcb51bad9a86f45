import Projections

/// The data mean and first two principal components, for MiniSom's `pca_weights_init`.
///
/// Concretely: the leading eigenvectors of the covariance `Xc^T Xc / (n - 1)` (`Xc` the centred
/// data, NumPy's `cov(data, rowvar=False)`), as unit vectors, from `Projections`'
/// `PrincipalComponents` (scikit-learn's PCA: the smaller of the covariance and Gram matrix,
/// Jacobi or subspace iteration, so a 6,144-feature layer never needs a d x d matrix).
///
/// Sign: an eigenvector's sign is arbitrary (NumPy's `eigh` returns whichever LAPACK finds);
/// each component's entry of largest magnitude is positive (scikit-learn's `svd_flip`), so
/// results are stable, and equal MiniSom's up to the sign of each component.
struct PrincipalPlane {
    var mean: [Double]
    var first: [Double]
    var second: [Double]

    /// `data` is finite and `count x dimension`, with both at least 2 (`SelfOrganizingMap`
    /// checks that first).
    init(data: [Double], count: Int, dimension: Int) throws {
        let pca = try PrincipalComponents.fit(
            PointSet(values: data, count: count, dimension: dimension), components: 2)
        mean = pca.mean
        first = Array(pca.components[0..<dimension])
        second = Array(pca.components[dimension..<(2 * dimension)])
    }
}
