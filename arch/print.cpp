#include "arch/print.h"

#include <ostream>

#include "arch/toml_writer.h"

namespace arch {

std::string to_toml(const Arch& arch) {
    Arch copy = arch; // the schema walk takes mutable references; the writer only reads them
    TomlWriter writer;
    describe(writer, copy);
    return writer.str();
}

std::ostream& operator<<(std::ostream& out, const Arch& arch) { return out << to_toml(arch); }

} // namespace arch
