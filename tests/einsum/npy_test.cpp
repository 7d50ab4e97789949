#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

#include "einsum/input_error.h"
#include "einsum/npy.h"

using namespace einsum;

namespace {

std::string temp_path(const std::string& name) {
    auto dir = std::filesystem::path(EINSIM_BINARY_DIR) / "tests" / "einsum" / "npy";
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

// A file with the given header dictionary (version 1.0) followed by `data`.
std::string npy_file(const std::string& name, const std::string& dict, const std::string& data, const std::string& magic = "\x93NUMPY") {
    std::string header = dict;
    header += std::string(63 - (10 + header.size()) % 64, ' ') + "\n";
    std::string bytes = magic + std::string("\x01\x00", 2);
    bytes += static_cast<char>(header.size() & 0xff);
    bytes += static_cast<char>(header.size() >> 8);
    bytes += header + data;
    std::string path = temp_path(name);
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

std::string floats(std::initializer_list<float> xs) {
    std::string s;
    for (float x : xs) s.append(reinterpret_cast<const char*>(&x), 4);
    return s;
}

void check_error(const std::string& path, const std::string& key, const std::string& text) {
    try {
        read_npy(path);
        FAIL("expected an InputError for " << path);
    } catch (const InputError& e) {
        CHECK(e.where().file == path);
        CHECK(e.where().key_path == key);
        CHECK(std::string(e.what()).find(text) != std::string::npos);
    }
}

} // namespace

TEST_CASE("npy files written by numpy's rules are read back") {
    // What np.save(np.arange(6, dtype=np.float32).reshape(1, 1, 2, 3)) writes.
    std::string path = npy_file("f4.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2, 3), }", floats({0, 1, 2, 3, 4, 5}));
    Tensor t = read_npy(path);
    CHECK(t.dims == std::vector<std::int64_t>{1, 1, 2, 3});
    CHECK(t.at({0, 0, 1, 2}) == 5.0);
    CHECK(t.at({0, 0, 0, 1}) == 1.0);

    Tensor x({2, 3});
    for (std::size_t i = 0; i < x.data.size(); ++i) x.data[i] = 0.1 * double(i) - 0.2;
    write_npy(temp_path("f8.npy"), x);
    Tensor y = read_npy(temp_path("f8.npy"));
    CHECK(y.dims == x.dims);
    CHECK(y.data == x.data); // float64 round-trips bit for bit
    write_npy(temp_path("f4w.npy"), x, NpyType::float32);
    Tensor z = read_npy(temp_path("f4w.npy"));
    for (std::size_t i = 0; i < x.data.size(); ++i) CHECK(z.data[i] == double(float(x.data[i])));
    Tensor v({5});
    write_npy(temp_path("vec.npy"), v);
    CHECK(read_npy(temp_path("vec.npy")).dims == std::vector<std::int64_t>{5}); // shape (5,)
}

TEST_CASE("bad npy files are refused with the file, the part at fault and what was expected") {
    const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
    check_error(temp_path("missing.npy"), "", "cannot open");
    check_error(npy_file("magic.npy", dict, floats({1, 2, 3, 4}), "PK\x03\x04zz"), "magic", "not a .npy file");
    check_error(npy_file("int.npy", "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", std::string(16, '\0')), "header.descr",
                "dtype '<i8' is not supported");
    check_error(npy_file("big.npy", "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", floats({1})), "header.descr", "'>f4'");
    check_error(npy_file("fortran.npy", "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", floats({1, 2, 3, 4})),
                "header.fortran_order", "Fortran-ordered");
    check_error(npy_file("shape.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", floats({1, 2})), "header.shape",
                "dimension 'x'");
    check_error(npy_file("noshape.npy", "{'descr': '<f4', 'fortran_order': False, }", ""), "header.shape", "no 'shape' entry");
    check_error(npy_file("short.npy", dict, floats({1, 2, 3})), "data", "the shape needs 16 bytes of data, the file has 12");
    check_error(npy_file("long.npy", dict, floats({1, 2, 3, 4, 5})), "data", "4 bytes follow");
    std::string cut = temp_path("cut.npy");
    std::ofstream(cut, std::ios::binary) << std::string("\x93NUMPY\x01\x00\x76\x00{'descr'", 18);
    check_error(cut, "header", "truncated");
    std::string v9 = temp_path("v9.npy");
    std::ofstream(v9, std::ios::binary) << std::string("\x93NUMPY\x09\x00\x00\x00", 10);
    check_error(v9, "version", "unsupported .npy format version 9");
}
