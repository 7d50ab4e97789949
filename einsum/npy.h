// NumPy's .npy files: how users hand einsim their own Q/K/V tensors. We read what
// `numpy.save` writes for float arrays: format versions 1.0-3.0, dtype '<f4' (float32) or '<f8'
// (float64), C order, any number of dimensions. Anything else is refused with the file's path, the
// part at fault (key path: magic, version, header, header.descr, header.fortran_order,
// header.shape, data) and what was expected.
#pragma once
#include <string>

#include "einsum/tensor.h"

namespace einsum {

enum class NpyType { float32, float64 };

// Throws InputError for a missing or unreadable file, a wrong magic string, an unsupported version,
// a malformed header, another dtype (ints, big-endian, ...), Fortran order, or data that is
// shorter or longer than the shape says.
Tensor read_npy(const std::string& path);

// Writes a version 1.0 file; throws InputError when the file cannot be written.
void write_npy(const std::string& path, const Tensor& t, NpyType type = NpyType::float64);

} // namespace einsum
