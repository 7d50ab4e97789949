#include "einsum/npy.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

#include "einsum/input_error.h"

namespace einsum {
namespace {

static_assert(std::endian::native == std::endian::little, "the .npy reader assumes a little-endian host");

constexpr char magic[] = "\x93NUMPY";
constexpr std::size_t magic_size = 6;

[[noreturn]] void fail(const std::string& path, const std::string& key, const std::string& what) {
    throw InputError({path, 0, 0, key}, what);
}

// The value text of `'key': value` in the header dictionary, up to the next top-level comma.
std::string dict_value(const std::string& header, const std::string& key, const std::string& path) {
    const std::string quoted[] = {"'" + key + "'", "\"" + key + "\""};
    std::size_t at = std::string::npos;
    for (const auto& q : quoted)
        if ((at = header.find(q)) != std::string::npos) {
            at += q.size();
            break;
        }
    if (at == std::string::npos) fail(path, "header." + key, "the header has no '" + key + "' entry (header: " + header + ")");
    at = header.find(':', at);
    if (at == std::string::npos) fail(path, "header." + key, "no ':' after '" + key + "' in the header");
    ++at;
    int depth = 0;
    std::size_t end = at;
    for (; end < header.size(); ++end) {
        char ch = header[end];
        if (ch == '(' || ch == '[') ++depth;
        else if (ch == ')' || ch == ']') --depth;
        if (depth < 0 || (depth == 0 && (ch == ',' || ch == '}'))) break;
    }
    std::string v = header.substr(at, end - at);
    auto first = v.find_first_not_of(" \t"), last = v.find_last_not_of(" \t");
    return first == std::string::npos ? "" : v.substr(first, last - first + 1);
}

std::vector<std::int64_t> parse_shape(const std::string& text, const std::string& path) {
    if (text.size() < 2 || text.front() != '(' || text.back() != ')')
        fail(path, "header.shape", "expected a tuple of integers such as (1, 2, 64, 128), got '" + text + "'");
    std::vector<std::int64_t> dims;
    std::stringstream in(text.substr(1, text.size() - 2));
    std::string item;
    while (std::getline(in, item, ',')) {
        auto first = item.find_first_not_of(" \t"), last = item.find_last_not_of(" \tL");
        if (first == std::string::npos) continue; // the trailing comma of (n,)
        item = item.substr(first, last - first + 1);
        std::int64_t v = 0;
        bool digits = !item.empty() && item.size() <= 12;
        for (char ch : item) digits = digits && ch >= '0' && ch <= '9';
        if (!digits) fail(path, "header.shape", "dimension '" + item + "' is not a non-negative integer (shape " + text + ")");
        v = std::stoll(item);
        dims.push_back(v);
    }
    return dims;
}

} // namespace

Tensor read_npy(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) fail(path, "", "cannot open the .npy file");
    std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (bytes.size() < magic_size + 2 || bytes.compare(0, magic_size, magic, magic_size) != 0)
        fail(path, "magic", "not a .npy file: it must start with the bytes \\x93NUMPY");
    const int major = static_cast<unsigned char>(bytes[magic_size]);
    std::size_t len_bytes = major == 1 ? 2 : (major == 2 || major == 3) ? 4 : 0;
    if (len_bytes == 0) fail(path, "version", "unsupported .npy format version " + std::to_string(major) + " (expected 1, 2 or 3)");
    const std::size_t len_at = magic_size + 2;
    if (bytes.size() < len_at + len_bytes) fail(path, "header", "truncated: the file ends inside the header length");
    std::size_t header_len = 0;
    for (std::size_t i = 0; i < len_bytes; ++i) header_len |= std::size_t(static_cast<unsigned char>(bytes[len_at + i])) << (8 * i);
    const std::size_t data_at = len_at + len_bytes + header_len;
    if (bytes.size() < data_at)
        fail(path, "header", "truncated: the header says " + std::to_string(header_len) + " bytes but the file has " +
                                 std::to_string(bytes.size() - len_at - len_bytes));
    const std::string header = bytes.substr(len_at + len_bytes, header_len);
    if (header.find('{') == std::string::npos || header.find('}') == std::string::npos)
        fail(path, "header", "the header is not a dictionary: '" + header + "'");

    std::string descr = dict_value(header, "descr", path);
    if (descr.size() >= 2 && (descr.front() == '\'' || descr.front() == '"')) descr = descr.substr(1, descr.size() - 2);
    std::size_t item = 0;
    if (descr == "<f4") item = 4;
    else if (descr == "<f8") item = 8;
    else fail(path, "header.descr", "dtype '" + descr + "' is not supported (expected '<f4' float32 or '<f8' float64, little-endian)");

    const std::string order = dict_value(header, "fortran_order", path);
    if (order == "True") fail(path, "header.fortran_order", "Fortran-ordered arrays are not supported: save with np.ascontiguousarray(x)");
    if (order != "False") fail(path, "header.fortran_order", "expected True or False, got '" + order + "'");

    std::vector<std::int64_t> dims = parse_shape(dict_value(header, "shape", path), path);
    std::int64_t count = 1;
    for (auto d : dims) {
        if (d > 0 && count > std::numeric_limits<std::int64_t>::max() / 8 / d)
            fail(path, "header.shape", "the shape holds too many elements");
        count *= d;
    }
    const std::size_t want = std::size_t(count) * item, have = bytes.size() - data_at;
    if (have < want)
        fail(path, "data", "truncated: the shape needs " + std::to_string(want) + " bytes of data, the file has " + std::to_string(have));
    if (have > want)
        fail(path, "data", std::to_string(have - want) + " bytes follow the " + std::to_string(want) + " bytes of data the shape describes");

    Tensor t(dims);
    const char* p = bytes.data() + data_at;
    for (std::int64_t i = 0; i < count; ++i) {
        if (item == 4) {
            float v;
            std::memcpy(&v, p + i * 4, 4);
            t.data[i] = v;
        } else {
            std::memcpy(&t.data[i], p + i * 8, 8);
        }
    }
    return t;
}

void write_npy(const std::string& path, const Tensor& t, NpyType type) {
    std::string shape = "(";
    for (std::size_t i = 0; i < t.dims.size(); ++i) shape += std::to_string(t.dims[i]) + (t.dims.size() == 1 || i + 1 < t.dims.size() ? "," : "");
    shape += ")";
    std::string header = std::string("{'descr': '") + (type == NpyType::float32 ? "<f4" : "<f8") + "', 'fortran_order': False, 'shape': " + shape + ", }";
    // Pad with spaces so that the data starts on a 64-byte boundary; the header ends with '\n'.
    const std::size_t fixed = magic_size + 2 + 2;
    header += std::string(63 - (fixed + header.size()) % 64, ' ') + "\n";
    std::ofstream f(path, std::ios::binary);
    if (!f) fail(path, "", "cannot write the .npy file");
    f.write(magic, magic_size);
    f.put(1);
    f.put(0);
    f.put(static_cast<char>(header.size() & 0xff));
    f.put(static_cast<char>(header.size() >> 8));
    f << header;
    for (double v : t.data) {
        if (type == NpyType::float32) {
            float x = static_cast<float>(v);
            f.write(reinterpret_cast<const char*>(&x), 4);
        } else {
            f.write(reinterpret_cast<const char*>(&v), 8);
        }
    }
    if (!f) fail(path, "", "writing the .npy file failed");
}

} // namespace einsum
