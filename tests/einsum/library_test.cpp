#include <doctest/doctest.h>

#include <algorithm>

#include "einsum/attention_check.h"
#include "workloads/library.h"
#include "workloads/model.h"

using namespace einsum;

TEST_CASE("every built-in cascade loads and evaluates at the documented small shape") {
    auto names = workloads::cascade_names();
    CHECK(names.size() >= 9);
    for (const auto& n : names) {
        INFO(n);
        Cascade c = workloads::load_cascade(n);
        if (!c.attention) continue;
        Shape s = resolve_shape(c, parse_shape_binding("M=37,P=5,E=8,F=8"));
        CHECK(check_attention(c, s, InputSpec{}).max_rel_error < 1e-9);
    }
}

TEST_CASE("model shapes load and bind a cascade's ranks") {
    auto names = workloads::model_names();
    for (const char* m : {"bert-base", "bert-large", "trxl", "t5", "xlm", "llama-3.2-1b", "llama-3-8b", "bitnet-b1.58-2b"})
        CHECK(std::find(names.begin(), names.end(), m) != names.end());
    workloads::ModelShape llama = workloads::load_model("llama-3.2-1b");
    CHECK(llama.heads == 32);
    CHECK(llama.kv_heads == 8);
    Cascade c = workloads::load_cascade("flashdecoding");
    Shape s = resolve_shape(c, workloads::bind_model(llama, c, 4096, 1, 2));
    CHECK(s.extent("HG") == 4);
    CHECK(s.extent("E") == 64);
    CHECK(s.extent("M") == 4096);
    CHECK_THROWS_WITH_AS(workloads::load_model("gpt-9"), doctest::Contains("no such model"), InputError);
}
