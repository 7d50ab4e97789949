#include "einsum/reference_attention.h"

#include <Eigen/Dense>
#include <stdexcept>

namespace einsum {

Tensor reference_attention(const Tensor& q, const Tensor& k, const Tensor& v) {
    using Mat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const auto B = q.dims[0], H = q.dims[1], E = q.dims[2], P = q.dims[3];
    const auto Hkv = k.dims[1], M = k.dims[3], F = v.dims[2];
    if (k.dims[0] != B || v.dims[0] != B || k.dims[2] != E || v.dims[1] != Hkv || v.dims[3] != M || Hkv == 0 || H % Hkv != 0)
        throw std::invalid_argument("reference_attention: inconsistent Q/K/V dimensions");
    Tensor out({B, H, F, P});
    for (std::int64_t b = 0; b < B; ++b)
        for (std::int64_t h = 0; h < H; ++h) {
            const std::int64_t hk = h / (H / Hkv);
            Eigen::Map<const Mat> Q(&q.data[((b * H + h) * E) * P], E, P);
            Eigen::Map<const Mat> K(&k.data[((b * Hkv + hk) * E) * M], E, M);
            Eigen::Map<const Mat> V(&v.data[((b * Hkv + hk) * F) * M], F, M);
            Mat S = Q.transpose() * K; // P x M
            for (Eigen::Index p = 0; p < S.rows(); ++p) {
                double mx = S.row(p).maxCoeff();
                S.row(p) = (S.row(p).array() - mx).exp().matrix();
                S.row(p) /= S.row(p).sum();
            }
            Mat O = V * S.transpose(); // F x P
            Eigen::Map<Mat>(&out.data[((b * H + h) * F) * P], F, P) = O;
        }
    return out;
}

} // namespace einsum
