#include "arch/schema.h"

namespace arch::schema {

std::size_t index_of(Names names, std::string_view name) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return i;
    return names.size();
}

} // namespace arch::schema
