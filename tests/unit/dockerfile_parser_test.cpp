// The Dockerfile parser of `coconut check` (policy/dockerfile/parser.hpp): every construct with
// its positions, the normalised tree, content detection, and hostile input.
#include <gtest/gtest.h>

#include <string>

#include "coconut/policy/dockerfile/parser.hpp"

namespace df = coconut::policy::dockerfile;
using coconut::yaml::Mark;

namespace {

std::string errors_of(const df::Dockerfile& d) {
    std::string out;
    for (const auto& e : d.errors) {
        out += std::to_string(e.mark.line) + ":" + std::to_string(e.mark.column) + " " + e.message + "\n";
    }
    return out;
}

}  // namespace

TEST(DockerfileParser, InstructionsKeywordsAndPositions) {
    auto d = df::parse("FROM alpine:3.20\n\n  run  echo hi\nUSER app\n");
    ASSERT_EQ(d->instructions.size(), 3u) << errors_of(*d);
    EXPECT_TRUE(d->errors.empty()) << errors_of(*d);
    const auto& run = d->instructions[1];
    EXPECT_EQ(run.keyword, "RUN");
    EXPECT_EQ(run.mark, (Mark{3, 3}));
    EXPECT_EQ(run.args_mark, (Mark{3, 8}));
    EXPECT_EQ(run.arguments, "echo hi");
    EXPECT_EQ(run.end_line, 3u);
    EXPECT_EQ(run.stage, 0);
    EXPECT_EQ(run.mark_at(5), (Mark{3, 13}));   // "hi"
}

TEST(DockerfileParser, ContinuationsAndCommentsInside) {
    auto d = df::parse("FROM debian:12\nRUN apt-get update \\\n# a comment inside\n\n    && apt-get install -y curl\n");
    ASSERT_EQ(d->instructions.size(), 2u);
    const auto& run = d->instructions[1];
    EXPECT_EQ(run.arguments, "apt-get update     && apt-get install -y curl");
    EXPECT_EQ(run.end_line, 5u);
    std::size_t amp = run.arguments.find("&&");
    EXPECT_EQ(run.mark_at(amp), (Mark{5, 5}));
    EXPECT_EQ(run.mark_at(0), (Mark{2, 5}));
    ASSERT_EQ(d->comments.size(), 1u);
    EXPECT_EQ(d->comments[0].line, 3u);
    EXPECT_EQ(d->comments[0].text, "a comment inside");
}

TEST(DockerfileParser, EscapeDirectiveBacktick) {
    auto d = df::parse("# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir c:\\ `\n    && echo done\n");
    EXPECT_EQ(d->escape, '`');
    ASSERT_EQ(d->directives.size(), 1u);
    EXPECT_EQ(d->directives[0].name, "escape");
    EXPECT_EQ(d->directives[0].mark, (Mark{1, 1}));
    ASSERT_EQ(d->instructions.size(), 2u) << errors_of(*d);
    EXPECT_EQ(d->instructions[1].arguments, "dir c:\\     && echo done");
    EXPECT_EQ(d->instructions[1].end_line, 4u);
}

TEST(DockerfileParser, BackslashIsLiteralWithBacktickEscape) {
    auto d = df::parse("# escape=`\nFROM x:1\nWORKDIR C:\\app\\\nUSER me\n");
    ASSERT_EQ(d->instructions.size(), 3u);
    EXPECT_EQ(d->instructions[1].arguments, "C:\\app\\");
}

TEST(DockerfileParser, DirectivesOnlyAtTheTop) {
    auto d = df::parse("# syntax=docker/dockerfile:1.7\n# check=skip=JSONArgsRecommended\n# a comment\n# escape=`\nFROM x:1\n");
    ASSERT_EQ(d->directives.size(), 2u);
    EXPECT_EQ(d->directives[0].name, "syntax");
    EXPECT_EQ(d->directives[0].value, "docker/dockerfile:1.7");
    EXPECT_EQ(d->directives[1].name, "check");
    EXPECT_EQ(d->escape, '\\');   // the late escape= is a comment
    EXPECT_EQ(d->comments.size(), 2u);

    auto after_blank = df::parse("\n# escape=`\nFROM x:1\n");
    EXPECT_TRUE(after_blank->directives.empty());
    auto after_instruction = df::parse("FROM x:1\n# syntax=foo\n");
    EXPECT_TRUE(after_instruction->directives.empty());
    auto unknown_first = df::parse("# foo=bar\n# escape=`\nFROM x:1\n");
    EXPECT_TRUE(unknown_first->directives.empty());
    auto twice = df::parse("# escape=`\n# escape=\\\nFROM x:1\n");
    EXPECT_FALSE(twice->errors.empty());
    auto bad = df::parse("# escape=x\nFROM x:1\n");
    ASSERT_EQ(bad->errors.size(), 1u);
    EXPECT_EQ(bad->errors[0].mark, (Mark{1, 1}));
}

TEST(DockerfileParser, HeredocSimple) {
    auto d = df::parse("FROM x:1\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nUSER app\n");
    ASSERT_EQ(d->instructions.size(), 3u) << errors_of(*d);
    const auto& run = d->instructions[1];
    ASSERT_EQ(run.heredocs.size(), 1u);
    const auto& h = run.heredocs[0];
    EXPECT_EQ(h.delimiter, "EOF");
    EXPECT_EQ(h.body, "apt-get update\napt-get install -y curl");
    EXPECT_EQ(h.mark, (Mark{2, 5}));
    EXPECT_EQ(h.body_line, 3u);
    EXPECT_EQ(h.mark_at(h.body.find("install")), (Mark{4, 9}));
    EXPECT_EQ(run.end_line, 5u);
    EXPECT_EQ(d->instructions[2].keyword, "USER");
    EXPECT_EQ(d->instructions[2].mark, (Mark{6, 1}));
}

TEST(DockerfileParser, HeredocDashQuotedAndSeveral) {
    auto d = df::parse(
        "FROM x:1\n"
        "COPY <<-\"A\" /a <<'B' /b\n"
        "\t\thello $X\n"
        "\tA\n"
        "world\n"
        "B\n"
        "RUN true\n");
    ASSERT_EQ(d->instructions.size(), 3u) << errors_of(*d);
    const auto& copy = d->instructions[1];
    ASSERT_EQ(copy.heredocs.size(), 2u);
    EXPECT_EQ(copy.heredocs[0].delimiter, "A");
    EXPECT_TRUE(copy.heredocs[0].strip_tabs);
    EXPECT_TRUE(copy.heredocs[0].quoted);
    EXPECT_EQ(copy.heredocs[0].body, "hello $X");
    EXPECT_EQ(copy.heredocs[0].mark_at(0), (Mark{3, 3}));
    EXPECT_EQ(copy.heredocs[0].mark, (Mark{2, 6}));
    EXPECT_EQ(copy.heredocs[1].delimiter, "B");
    EXPECT_EQ(copy.heredocs[1].body, "world");
    EXPECT_EQ(copy.heredocs[1].body_line, 5u);
    EXPECT_EQ(copy.heredocs[1].mark, (Mark{2, 16}));
    EXPECT_EQ(copy.end_line, 6u);
    EXPECT_EQ(d->instructions[2].mark, (Mark{7, 1}));
    EXPECT_TRUE(d->errors.empty());
}

TEST(DockerfileParser, HeredocNotInOtherInstructionsNorHereStrings) {
    auto d = df::parse("FROM x:1\nRUN cat <<<hello\nENV A=<<EOF\nRUN echo \"<<EOF\"\n");
    ASSERT_EQ(d->instructions.size(), 4u);
    for (const auto& ins : d->instructions) EXPECT_TRUE(ins.heredocs.empty()) << ins.arguments;
}

TEST(DockerfileParser, UnterminatedHeredocIsADiagnosticAtItsStart) {
    auto d = df::parse("FROM x:1\nRUN echo a && cat <<EOT > /x\nline\n");
    ASSERT_EQ(d->errors.size(), 1u);
    EXPECT_EQ(d->errors[0].mark, (Mark{2, 19}));
    EXPECT_NE(d->errors[0].message.find("unterminated heredoc"), std::string::npos);
    ASSERT_EQ(d->instructions.size(), 2u);
    EXPECT_FALSE(d->instructions[1].heredocs[0].terminated);
    EXPECT_EQ(d->instructions[1].heredocs[0].body, "line");
}

TEST(DockerfileParser, JsonAndShellForm) {
    auto d = df::parse(
        "FROM x:1\n"
        "CMD [\"node\", \"server.js\"]\n"
        "ENTRYPOINT [\"a\", 1]\n"
        "RUN [ \"broken\n"
        "HEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"http://localhost/\"]\n"
        "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n");
    ASSERT_EQ(d->instructions.size(), 6u);
    EXPECT_TRUE(d->instructions[1].json_form);
    EXPECT_EQ(d->instructions[1].json_args, (std::vector<std::string>{"node", "server.js"}));
    EXPECT_FALSE(d->instructions[2].json_form);   // not all strings: shell form, as Docker does
    EXPECT_FALSE(d->instructions[3].json_form);
    const auto& hc = d->instructions[4];
    EXPECT_TRUE(hc.json_form);
    ASSERT_EQ(hc.flags.size(), 1u);
    EXPECT_EQ(hc.flags[0].name, "interval");
    EXPECT_EQ(hc.flags[0].value, "5s");
    EXPECT_EQ(hc.json_args.size(), 3u);
    EXPECT_TRUE(d->instructions[5].json_form);
}

TEST(DockerfileParser, StagesAliasesAndImageReferences) {
    auto d = df::parse(
        "ARG BASE=node:20\n"
        "FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS Build\n"
        "FROM ghcr.io/org/app:1.2@sha256:abc AS runtime\n"
        "FROM localhost:5000/team/img\n"
        "FROM build\n"
        "FROM scratch\n");
    ASSERT_EQ(d->stages.size(), 5u) << errors_of(*d);
    EXPECT_TRUE(d->errors.empty()) << errors_of(*d);
    EXPECT_EQ(d->instructions[0].stage, -1);
    const auto& b = d->stages[0];
    EXPECT_EQ(b.name, "build");
    EXPECT_EQ(b.platform, "$BUILDPLATFORM");
    EXPECT_EQ(b.repository, "golang");
    EXPECT_EQ(b.tag, "1.22-alpine");
    EXPECT_EQ(b.mark, (Mark{2, 1}));
    EXPECT_EQ(b.image_mark, (Mark{2, 32}));
    EXPECT_EQ(b.from_instruction, 1u);
    EXPECT_EQ(b.end_instruction, 2u);
    const auto& r = d->stages[1];
    EXPECT_EQ(r.repository, "ghcr.io/org/app");
    EXPECT_EQ(r.tag, "1.2");
    EXPECT_EQ(r.digest, "sha256:abc");
    EXPECT_EQ(d->stages[2].repository, "localhost:5000/team/img");
    EXPECT_EQ(d->stages[2].tag, "");
    EXPECT_TRUE(d->stages[3].from_stage);
    EXPECT_EQ(d->stages[3].parent, 0);
    EXPECT_TRUE(d->stages[4].scratch);
    EXPECT_EQ(d->final_stage(), &d->stages[4]);
}

TEST(DockerfileParser, CopyFlagsFromMountChown) {
    auto d = df::parse(
        "FROM x:1 AS a\n"
        "FROM y:2\n"
        "COPY --from=a --chown=app:app /src /dst\n"
        "RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=npm \"echo\" ok\n");
    const auto& copy = d->instructions[2];
    ASSERT_EQ(copy.flags.size(), 2u);
    EXPECT_EQ(copy.flags[0].name, "from");
    EXPECT_EQ(copy.flags[0].value, "a");
    EXPECT_EQ(copy.flags[0].mark, (Mark{3, 6}));
    EXPECT_EQ(copy.flags[1].name, "chown");
    EXPECT_EQ(copy.args_mark, (Mark{3, 31}));
    EXPECT_EQ(copy.arguments, "/src /dst");
    ASSERT_NE(copy.flag("from"), nullptr);
    const auto& run = d->instructions[3];
    ASSERT_EQ(run.flags.size(), 2u);
    EXPECT_EQ(run.flags[1].value, "type=secret,id=npm");
    EXPECT_EQ(run.arguments, "\"echo\" ok");
}

TEST(DockerfileParser, Diagnostics) {
    auto d = df::parse("RUN echo before\nFROM x:1\nBOGUS thing\nFROM\n");
    ASSERT_EQ(d->errors.size(), 3u) << errors_of(*d);
    EXPECT_EQ(d->errors[0].mark, (Mark{1, 1}));
    EXPECT_EQ(d->errors[1].mark, (Mark{3, 1}));
    EXPECT_EQ(d->errors[2].mark, (Mark{4, 1}));
    auto none = df::parse("ARG A=1\n");
    ASSERT_EQ(none->errors.size(), 1u);
    EXPECT_NE(none->errors[0].message.find("no FROM"), std::string::npos);
}

TEST(DockerfileParser, CrLfAndUtf8Columns) {
    auto d = df::parse("FROM x:1\r\nLABEL a=\"é\" b=2\r\n");
    ASSERT_EQ(d->instructions.size(), 2u);
    EXPECT_EQ(d->instructions[1].arguments, "a=\"é\" b=2");
    EXPECT_EQ(d->instructions[1].mark_at(d->instructions[1].arguments.find("b=")), (Mark{2, 13}));
}

TEST(DockerfileParser, TreeShape) {
    auto d = df::parse("# syntax=docker/dockerfile:1\nARG V=1\nFROM node:20 AS build\nRUN --mount=type=cache,target=/a --mount=type=tmpfs,target=/b npm ci\nFROM build\nCOPY --from=build /app /app\nCMD [\"node\", \"x.js\"]\n");
    const auto* root = d->tree.root();
    ASSERT_NE(root, nullptr);
    ASSERT_TRUE(root->is_mapping());
    ASSERT_NE(root->find("directives"), nullptr);
    EXPECT_EQ(root->find("directives")->find("syntax")->text, "docker/dockerfile:1");
    ASSERT_EQ(root->find("args")->items.size(), 1u);
    const auto* stages = root->find("stages");
    ASSERT_EQ(stages->items.size(), 2u);
    const auto* s0 = stages->items[0];
    EXPECT_EQ(s0->find("name")->text, "build");
    EXPECT_EQ(s0->find("repository")->text, "node");
    EXPECT_EQ(s0->find("tag")->text, "20");
    EXPECT_TRUE(s0->find("digest")->is_null());
    EXPECT_EQ(s0->start, (Mark{3, 1}));
    const auto* ins = s0->find("instructions");
    ASSERT_EQ(ins->items.size(), 2u);
    const auto* run = ins->items[1];
    EXPECT_EQ(run->find("instruction")->text, "RUN");
    EXPECT_EQ(run->find("line")->text, "4");
    EXPECT_EQ(run->find("form")->text, "shell");
    const auto* mounts = run->find("flags")->find("mount");
    ASSERT_TRUE(mounts->is_sequence());
    EXPECT_EQ(mounts->items.size(), 2u);
    EXPECT_EQ(run->find("args")->items.size(), 2u);
    const auto* s1 = stages->items[1];
    EXPECT_TRUE(s1->find("name")->is_null());
    const auto* copy = s1->find("instructions")->items[1];
    EXPECT_EQ(copy->find("flags")->find("from")->text, "build");
    EXPECT_EQ(copy->find("flags")->find("from")->start, (Mark{6, 6}));
    const auto* cmd = s1->find("instructions")->items[2];
    EXPECT_EQ(cmd->find("form")->text, "exec");
    EXPECT_EQ(cmd->find("args")->items[1]->text, "x.js");
}

TEST(DockerfileParser, TreeHeredocs) {
    auto d = df::parse("FROM x:1\nRUN <<EOF\necho hi\nEOF\n");
    const auto* run = d->tree.root()->find("stages")->items[0]->find("instructions")->items[1];
    const auto* h = run->find("heredocs");
    ASSERT_EQ(h->items.size(), 1u);
    EXPECT_EQ(h->items[0]->find("delimiter")->text, "EOF");
    EXPECT_EQ(h->items[0]->find("body")->text, "echo hi");
    EXPECT_EQ(h->items[0]->find("line")->text, "3");
}

TEST(DockerfileParser, LooksLikeDockerfile) {
    EXPECT_TRUE(df::looks_like_dockerfile("# comment\n\nFROM alpine:3\nRUN x\n"));
    EXPECT_TRUE(df::looks_like_dockerfile("# syntax=docker/dockerfile:1\nARG BASE=x\nARG TAG\nfrom $BASE:$TAG as build\n"));
    EXPECT_TRUE(df::looks_like_dockerfile("FROM --platform=linux/amd64 debian:12\n"));
    EXPECT_FALSE(df::looks_like_dockerfile("apiVersion: v1\nkind: Pod\n"));
    EXPECT_FALSE(df::looks_like_dockerfile("From the beginning of time, people wrote text.\n"));
    EXPECT_FALSE(df::looks_like_dockerfile("ARG X\nRUN echo\nFROM a\n"));
    EXPECT_FALSE(df::looks_like_dockerfile(""));
    EXPECT_FALSE(df::looks_like_dockerfile("# only comments\n"));
}

TEST(DockerfileParser, ContinuationIntoCommentsAtEndOfFile) {
    auto d = df::parse("FROM x:1\nRUN echo a \\\n# trailing comment\n\n# another\n");
    ASSERT_EQ(d->instructions.size(), 2u);
    EXPECT_EQ(d->instructions[1].end_line, 5u);
    EXPECT_EQ(d->comments.size(), 2u);   // each recorded once
}

TEST(DockerfileParser, OnlyComments) {
    auto d = df::parse("# one\n# two\n\n   # three\n");
    EXPECT_TRUE(d->instructions.empty());
    EXPECT_TRUE(d->errors.empty());
    EXPECT_EQ(d->comments.size(), 3u);   // "# one" is no directive: it has no '='
    ASSERT_NE(d->tree.root(), nullptr);
}

TEST(DockerfileParserRobustness, MillionBackslashes) {
    std::string text = "FROM x:1\nRUN echo " + std::string(1000000, '\\') + "\n" + std::string(1000000, '\\');
    auto d = df::parse(text);
    EXPECT_GE(d->instructions.size(), 2u);
    auto only = df::parse(std::string(1000000, '\\'));
    EXPECT_FALSE(only->errors.empty());
    EXPECT_LT(only->errors[0].message.size(), 200u);
}

TEST(DockerfileParserRobustness, BinaryJunk) {
    std::string junk;
    unsigned state = 12345;
    for (int i = 0; i < 200000; ++i) {
        state = state * 1103515245u + 12345u;
        junk.push_back(static_cast<char>((state >> 16) & 0xFF));
    }
    auto d = df::parse(junk);
    EXPECT_LE(d->errors.size(), df::k_max_errors + 1);
    EXPECT_FALSE(df::looks_like_dockerfile(junk));
}

TEST(DockerfileParserRobustness, FiftyMegabytes) {
    const std::string block =
        "FROM debian:12 AS build\n"
        "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
        "COPY <<EOF /etc/motd\nhello\nEOF\n"
        "USER 10001\n";
    std::string text;
    text.reserve(50u * 1024u * 1024u + block.size());
    while (text.size() < 50u * 1024u * 1024u) text += block;
    auto d = df::parse(text);
    EXPECT_EQ(d->instructions.size(), df::k_max_instructions);
    ASSERT_FALSE(d->errors.empty());
    EXPECT_NE(d->errors.back().message.find("instructions"), std::string::npos);

    // One huge RUN (50 MB of continuation lines) is fine too.
    std::string run = "FROM x:1\nRUN true";
    while (run.size() < 50u * 1024u * 1024u) run += " \\\n    && echo 0123456789012345678901234567890123456789";
    auto r = df::parse(run);
    ASSERT_EQ(r->instructions.size(), 2u);
    EXPECT_GT(r->instructions[1].arguments.size(), 40u * 1024u * 1024u);
}

TEST(DockerfileParserRobustness, UnterminatedHeredocAtEnd) {
    auto d = df::parse("FROM x:1\nRUN <<EOF");
    ASSERT_EQ(d->errors.size(), 1u);
    EXPECT_EQ(d->errors[0].mark, (Mark{2, 5}));
}

// ---- the RUN-script splitter of the DF- rules (policy/rules/dockerfile/shell.hpp) -----------

#include "coconut/policy/rules/dockerfile/shell.hpp"

namespace sh = coconut::policy::rules::dockerfile;

TEST(DockerfileParserShell, OperatorsQuotesAndContinuations) {
    auto cmds = sh::split_commands("apt-get update && apt-get install -y \"a b\" 'c' || true; echo x\\\n y | tee f");
    ASSERT_EQ(cmds.size(), 5u);
    EXPECT_EQ(cmds[0].name, "apt-get");
    EXPECT_EQ(cmds[1].words.size(), 5u);
    EXPECT_EQ(cmds[1].words[3].text, "a b");
    EXPECT_TRUE(cmds[1].words[3].quoted);
    EXPECT_EQ(cmds[1].offset, 18u);
    EXPECT_EQ(cmds[2].name, "true");
    EXPECT_EQ(cmds[3].name, "echo");
    EXPECT_EQ(cmds[3].words.size(), 3u);   // echo x y (continuation removed)
    EXPECT_TRUE(cmds[3].piped_out);
    EXPECT_TRUE(cmds[4].piped_in);
    EXPECT_EQ(cmds[4].name, "tee");
}

TEST(DockerfileParserShell, WrappersAssignmentsAndKeywords) {
    auto cmds = sh::split_commands("DEBIAN_FRONTEND=noninteractive sudo -u root -E /usr/bin/apt-get install x; "
                                   "if command -v curl; then env -i A=1 curl -f x; fi");
    ASSERT_GE(cmds.size(), 3u);
    EXPECT_EQ(cmds[0].name, "apt-get");
    EXPECT_EQ(cmds[0].sudo_index, 1);
    EXPECT_EQ(cmds[0].name_index, 5u);
    EXPECT_EQ(cmds[1].name, "curl");   // `if command -v curl`
    EXPECT_EQ(cmds[2].name, "curl");   // `then env -i A=1 curl`
}

TEST(DockerfileParserShell, RedirectionsSubstitutionsCommentsHeredocs) {
    auto cmds = sh::split_commands("echo $(cd /tmp && pwd) > /out 2>&1 # cd here is a comment\n"
                                   "cat <<EOF > /etc/x\napt-get install y\nEOF\nls `which cd`");
    ASSERT_EQ(cmds.size(), 3u);
    EXPECT_EQ(cmds[0].words.size(), 2u);
    EXPECT_EQ(cmds[0].words[1].text, "$(cd /tmp && pwd)");
    EXPECT_EQ(cmds[1].name, "cat");
    EXPECT_EQ(cmds[1].words.size(), 1u);
    EXPECT_EQ(cmds[2].name, "ls");
}

// Text in quotes is one word of its command, never a command of its own, even when it holds
// separators, substitutions with quotes inside, or here-document markers.
TEST(DockerfileParserShell, QuotedTextIsNeverACommand) {
    const char* scripts[] = {
        "echo \"apt-get install foo\"",
        "printf 'apt-get install %s\\n' x",
        "echo \"pip install x\" > notes.txt",
        "echo \"a; apt-get install b && pip install c | npm install d\"",
        "echo \"${MSG:-\"run; apt-get install curl\"}\"",
        "echo \"`echo \"; apt-get install x\"`\"",
        "echo \"$(printf '%s' \"); apt-get install y\")\"",
        "echo 'it'\\''s; apt-get install z'",
        "echo \"cat <<EOF\napt-get install w\nEOF\"",
    };
    for (const char* script : scripts) {
        SCOPED_TRACE(script);
        auto cmds = sh::split_commands(script);
        ASSERT_EQ(cmds.size(), 1u);
        EXPECT_TRUE(cmds[0].name == "echo" || cmds[0].name == "printf") << cmds[0].name;
        ASSERT_GE(cmds[0].words.size(), 2u);
        EXPECT_TRUE(cmds[0].words[1].quoted);
    }
    // The whole substitution, nested quotes included, is the word's text.
    auto nested = sh::split_commands("echo \"${MSG:-\"a b\"} c\" d");
    ASSERT_EQ(nested.size(), 1u);
    ASSERT_EQ(nested[0].words.size(), 3u);
    EXPECT_EQ(nested[0].words[1].text, "${MSG:-\"a b\"} c");
    EXPECT_EQ(nested[0].words[2].text, "d");
}

TEST(DockerfileParserShell, HostileInputIsLinear) {
    std::string many(1000000, '\\');
    auto a = sh::split_commands(many);
    EXPECT_LE(a.size(), 1u);
    std::string pipes;
    for (int i = 0; i < 100000; ++i) pipes += "a | ";
    auto b = sh::split_commands(pipes);
    EXPECT_EQ(b.size(), 100000u);
    auto c = sh::split_commands("echo \"unterminated $(oops 'x");
    EXPECT_EQ(c.size(), 1u);
}

TEST(DockerfileParserRobustness, MessagesArePrintableUtf8) {
    EXPECT_EQ(df::printable("abc"), "abc");
    EXPECT_EQ(df::printable("é\x01"), "é\\x01");
    EXPECT_EQ(df::printable("\xff\xc3"), "\\xFF\\xC3");
    EXPECT_EQ(df::printable("\xed\xa0\x80"), "\\xED\\xA0\\x80");   // a surrogate is not UTF-8
    EXPECT_EQ(df::printable(std::string(100, 'a'), 5), "aaaaa…");
    auto d = df::parse("FROM x:1\n\xb9\xff\xfe junk\n");
    ASSERT_EQ(d->errors.size(), 1u);
    EXPECT_NE(d->errors[0].message.find("\\xB9\\xFF\\xFE"), std::string::npos) << d->errors[0].message;
}
