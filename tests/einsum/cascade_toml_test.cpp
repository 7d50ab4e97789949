#include <doctest/doctest.h>

#include "einsum/shape.h"
#include "test_util.h"

using namespace einsum;

namespace {
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
} // namespace

TEST_CASE("a valid small cascade parses and is validated") {
    Cascade c = parse_cascade(small_header() + "[[einsum]]\nout = \"QK[m,p]\"\nexpr = \"Q[e,p] * K[e,m]\"\n", "ok.toml");
    REQUIRE(c.einsums.size() == 1);
    CHECK(c.einsums[0].reduced_vars == std::vector<std::string>{"e"});
    CHECK(c.tensors.at("QK").ranks == std::vector<std::string>{"M", "P"});
    CHECK(c.output == "QK");
}

TEST_CASE("unknown rank variable: file, line, column of the access, key path") {
    auto e = expect_input_error(small_header() + "[[einsum]]\nout = \"QK[m,p]\"\nexpr = \"Q[e,p] * K[x,m]\"\n");
    CHECK(e.where().file == "bad.toml");
    CHECK(e.where().line == 12);
    CHECK(e.where().column == 18); // the K of: expr = "Q[e,p] * K[x,m]"
    CHECK(e.where().key_path == "einsum[0].expr");
    CHECK(has(e.what(), "unknown rank variable 'x'"));
    CHECK(has(e.what(), "bad.toml:12:18: einsum[0].expr:"));
}

TEST_CASE("unknown rank in an input declaration") {
    auto e = expect_input_error("name = \"t\"\n[ranks]\nM = \"sequence\"\n[inputs]\nK = [\"E\", \"M\"]\n[[einsum]]\nout = \"Z[m]\"\nexpr = \"K[m,m]\"\n");
    CHECK(e.where().line == 5);
    CHECK(e.where().key_path == "inputs.K");
    CHECK(has(e.what(), "unknown rank 'E'"));
}

TEST_CASE("a rank used with two different shapes") {
    auto e = expect_input_error(small_header() + "[[einsum]]\nout = \"QK[m,p]\"\nexpr = \"Q[e,p] * K[e,p]\"\n");
    CHECK(e.where().line == 12);
    CHECK(e.where().column == 18);
    CHECK(has(e.what(), "rank used with two different shapes"));
    CHECK(has(e.what(), "dimension 1 of 'K' has rank M"));
}

TEST_CASE("a tensor read before it is produced") {
    auto e = expect_input_error(small_header() +
                                "[[einsum]]\nout = \"SN[m,p]\"\nexpr = \"exp(QK[m,p] - GM[p])\"\n"   // 10-12
                                "[[einsum]]\nout = \"QK[m,p]\"\nexpr = \"Q[e,p] * K[e,m]\"\n"        // 13-15
                                "[[einsum]]\nout = \"GM[p]\"\nexpr = \"QK[m,p]\"\nreduce = \"max\"\n");
    CHECK(e.where().line == 12);
    CHECK(e.where().column == 13); // 'QK' after "exp("
    CHECK(e.where().key_path == "einsum[0].expr");
    CHECK(has(e.what(), "'QK' is read before it is produced"));
}

TEST_CASE("a cycle between Einsums") {
    auto e = expect_input_error(small_header() +
                                "[[einsum]]\nout = \"A[m,p]\"\nexpr = \"B[m,p] + Q[e,p]\"\n"
                                "[[einsum]]\nout = \"B[m,p]\"\nexpr = \"A[m,p] * K[e,m]\"\n");
    CHECK(e.where().line == 10);
    CHECK(e.where().key_path == "einsum[0]");
    CHECK(has(e.what(), "cycle: A -> B -> A"));
}

TEST_CASE("unsupported operators in expressions and reductions") {
    auto e = expect_input_error(small_header() + "[[einsum]]\nout = \"S[m,p]\"\nexpr = \"sqrt(Q[e,p] * K[e,m])\"\n");
    CHECK(e.where().line == 12);
    CHECK(e.where().column == 9);
    CHECK(has(e.what(), "unsupported operator 'sqrt'"));
    auto r = expect_input_error(small_header() + "[[einsum]]\nout = \"S[p]\"\nexpr = \"Q[e,p]\"\nreduce = \"prod\"\n");
    CHECK(r.where().line == 13);
    CHECK(r.where().key_path == "einsum[0].reduce");
    CHECK(has(r.what(), "unsupported reduce operator 'prod'"));
}

TEST_CASE("a partition that does not divide and is not declared uneven") {
    std::string text = small_header() + "[[partition]]\nrank = \"M\"\ninto = [\"M1\", \"M0\"]\ntile = 4\n"  // 10-13
                                        "[[einsum]]\nout = \"S[m1,m0,p]\"\nexpr = \"Q[e,p] * K[e,m1*M0+m0]\"\n";
    Cascade c = parse_cascade(text, "part.toml");
    CHECK_NOTHROW(resolve_shape(c, parse_shape_binding("M=8,P=2,E=2")));
    try {
        resolve_shape(c, parse_shape_binding("M=10,P=2,E=2"));
        FAIL("expected an error");
    } catch (const InputError& e) {
        CHECK(e.where().file == "part.toml");
        CHECK(e.where().line == 10);
        CHECK(e.where().key_path == "partition[0]");
        CHECK(has(e.what(), "does not divide (remainder 2) and is not declared uneven"));
    }
}

TEST_CASE("misspelled keys, syntax errors, missing values and bad iterations are located") {
    auto k = expect_input_error(small_header() + "[[einsum]]\nout = \"S[m,p]\"\nexprr = \"Q[e,p]\"\n");
    CHECK(k.where().line == 12);
    CHECK(k.where().key_path == "einsum[0].exprr");
    CHECK(has(k.what(), "unknown key 'exprr'"));

    auto s = expect_input_error(small_header() + "[[einsum]]\nout = \"S[m,p]\nexpr = 1\n");
    CHECK(s.where().line == 11);
    CHECK(has(s.what(), "TOML syntax error"));

    auto x = expect_input_error(small_header() + "[[einsum]]\nout = \"S[m,p]\"\nexpr = \"Q[e,p] * * K[e,m]\"\n");
    CHECK(x.where().column == 18);
    CHECK(has(x.what(), "expected a number, a tensor access"));

    auto t = expect_input_error(small_header() + "[[einsum]]\nout = \"S[m,p]\"\nexpr = \"Z[e,p] * K[e,m]\"\n");
    CHECK(has(t.what(), "unknown tensor 'Z'"));

    auto p = expect_input_error(small_header() + "[[einsum]]\nout = \"S[m,p]\"\nexpr = \"Q[e,p] * K[e,m] * beta\"\n");
    CHECK(has(p.what(), "unknown parameter 'beta'"));

    auto i = expect_input_error(small_header() + "[[einsum]]\nout = \"R[m+1,p]\"\nexpr = \"R[m+1,p] + Q[e,p]\"\ninit = 0\n");
    CHECK(has(i.what(), "reads the element it writes"));

    auto n = expect_input_error(small_header() + "[[einsum]]\nout = \"R[m+1,p]\"\nexpr = \"R[m,p] + K[e,m]\"\n");
    CHECK(n.where().line == 11);
    CHECK(has(n.what(), "needs an initial value"));

    auto a = expect_input_error(small_header() + "[[einsum]]\nout = \"S[m,p]\"\nexpr = \"Q[e] * K[e,m]\"\n");
    CHECK(has(a.what(), "'Q' has 2 dimensions (E,P), read with 1"));
}

TEST_CASE("shape bindings: unknown names, non-integers and unbound ranks") {
    Cascade c = parse_cascade(small_header() + "[[einsum]]\nout = \"QK[m,p]\"\nexpr = \"Q[e,p] * K[e,m]\"\n", "ok.toml");
    CHECK_THROWS_WITH_AS(resolve_shape(c, parse_shape_binding("M=4,P=2,E=2,Z=3")), doctest::Contains("unknown rank or parameter 'Z'"), InputError);
    CHECK_THROWS_WITH_AS(resolve_shape(c, parse_shape_binding("M=4.5,P=2,E=2")), doctest::Contains("positive integer"), InputError);
    CHECK_THROWS_WITH_AS(resolve_shape(c, parse_shape_binding("M=4,P=2")), doctest::Contains("rank E is not bound"), InputError);
    CHECK_THROWS_WITH_AS(parse_shape_binding("M=4,P"), doctest::Contains("expected NAME=VALUE"), InputError);
    CHECK_THROWS_WITH_AS(parse_shape_binding("M=4,M=5"), doctest::Contains("bound twice"), InputError);
    CHECK_THROWS_WITH_AS(parse_shape_binding("M=x"), doctest::Contains("not a number"), InputError);
}

TEST_CASE("expression limits and bad literals: file, line, column of the token, key path") {
    std::string deep = std::string(5000, '(') + "Q[e,p] * K[e,m]" + std::string(5000, ')');
    auto d = expect_input_error(small_header() + "[[einsum]]\nout = \"QK[m,p]\"\nexpr = \"" + deep + "\"\n");
    CHECK(d.where().file == "bad.toml");
    CHECK(d.where().line == 12);
    CHECK(d.where().column == 9 + 256); // the parenthesis that opens level 257
    CHECK(d.where().key_path == "einsum[0].expr");
    CHECK(has(d.reason(), "nested deeper than 256 levels"));
    CHECK(d.reason().size() < 400); // the 10,000-character expression is quoted as an excerpt

    auto n = expect_input_error(small_header() + "[[einsum]]\nout = \"QK[m,p]\"\nexpr = \"Q[e,p] * K[e,m] * 1e400\"\n");
    CHECK(n.where().line == 12);
    CHECK(n.where().column == 9 + 18);
    CHECK(n.where().key_path == "einsum[0].expr");
    CHECK(has(n.reason(), "number '1e400' is too large"));

    auto m = expect_input_error(small_header() + "[[einsum]]\nout = \"QK[m,p]\"\nexpr = \"Q[e,p] * K[e,m] * 1..5\"\n");
    CHECK(m.where().line == 12);
    CHECK(m.where().column == 9 + 18);
    CHECK(has(m.reason(), "malformed number '1..5'"));
}

TEST_CASE("parameters: nan is refused, and one used in an index must be an integer") {
    const std::string qk = "[[einsum]]\nout = \"QK[m,p]\"\nexpr = \"Q[e,p] * K[e,m]\"\nwhere = \"m + W > p\"\n";
    auto nan = expect_input_error(small_header() + "[params]\nW = nan\n" + qk);
    CHECK(nan.where().line == 11);
    CHECK(nan.where().column == 5);
    CHECK(nan.where().key_path == "params.W");
    CHECK(has(nan.reason(), "got nan"));

    auto huge = expect_input_error(small_header() + "[params]\nW = 1e300\n" + qk);
    CHECK(huge.where().line == 11);
    CHECK(huge.where().column == 5);
    CHECK(huge.where().key_path == "params.W");
    CHECK(has(huge.reason(), "must be an integer"));
    CHECK(has(expect_input_error(small_header() + "[params]\nW = inf\n" + qk).reason(), "must be an integer"));
    CHECK(has(expect_input_error(small_header() + "[params]\nW = 2.5\n" + qk).reason(), "must be an integer"));

    // A parameter used only as a value may be any number but nan; the same checks hold for --shape.
    Cascade ok = parse_cascade(small_header() + "[params]\nW = 4\ntheta = inf\n" + qk, "ok.toml");
    try {
        resolve_shape(ok, parse_shape_binding("E=2,M=4,P=4,W=1e300", "--shape"));
        FAIL("expected an error");
    } catch (const InputError& e) {
        CHECK(e.where().file == "--shape");
        CHECK(e.where().key_path == "W");
        CHECK(has(e.reason(), "must be an integer"));
    }
    CHECK_THROWS_AS(resolve_shape(ok, parse_shape_binding("E=2,M=4,P=4,theta=nan", "--shape")), InputError);
    CHECK_NOTHROW(resolve_shape(ok, parse_shape_binding("E=2,M=4,P=4,W=3,theta=1e300", "--shape")));
}

TEST_CASE("an output no Einsum writes is located at the output key") {
    auto e = expect_input_error("output = \"NOPE\"\n" + small_header() + "[[einsum]]\nout = \"QK[m,p]\"\nexpr = \"Q[e,p] * K[e,m]\"\n");
    CHECK(e.where().file == "bad.toml");
    CHECK(e.where().line == 1);
    CHECK(e.where().column == 10);
    CHECK(e.where().key_path == "output");
    CHECK(has(e.reason(), "output 'NOPE' is not written by any Einsum"));
}
