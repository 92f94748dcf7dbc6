#include "cli/setup_files.h"

namespace tg::cli {

namespace {

constexpr std::string_view kAgentMd = R"md(# Working with tg

This project tracks its work in **tg**, a task graph shared by every agent and the developer.
The graph lives in `.taskgraph/`; every command below is safe to run while other agents run
theirs, from this checkout or from any git worktree of it.

## Who you are

tg knows each agent by name. Claude Code sessions are named by the hook `tg setup` installed
(`claude-<session>`), Codex sessions by their thread (`codex-<thread>`). Anywhere else, put
`TG_AGENT=<your-name>` in front of every tg command (`TG_AGENT=ana tg next --claim`), or pass
`--agent <your-name>`: your shell may not keep an `export` from one command to the next. A claim
made without a name is `default`'s, and any agent may finish it; tg warns when that happens.

## The loop

1. **Pick and claim** — `tg next --claim --json` takes the most important runnable task and
   claims it for you in one step; it prints `[]` when nothing is runnable (`--wait 5m` waits
   for a task to become runnable, `--plan "<title>"` stays in one plan). Other agents calling it
   at the same moment get other tasks. Do not list tasks and then `tg start` one: agents that do
   race for the same first task.
2. **Read** — `tg context <id> --json`: the task's intent, the plan overview, doc and skill
   guides to read, suggested changes, risks, and what its blockers delivered.
3. **Work, and leave a trail** — `tg note <id> --msg "<what you found or decided>"`. For long
   work send heartbeats, which keep your claim alive:
   `tg note <id> --msg '{"type":"heartbeat","phase":"mid-work","files":["src/x.cc"]}'`
4. **Finish** — `tg done <id> --evidence "<tests run, commit, output>"`. Evidence is required.
   Finishing unblocks the tasks that waited for this one. Then go back to step 1.

If tg says `TASK_ALREADY_CLAIMED` on your `done`, `note` or heartbeat, your claim was taken over
(your lease ran out, or someone used `--force`): stop work on that task and claim another.

If you cannot finish: `tg release <id>` gives the task back. If you find a missing
prerequisite: `tg block <id> --on <other-id>`. If a task is too big:
`tg split <id> --into "first part|second part"`.

## Seeing the whole picture

- `tg status` — plans, who is working on what, what is next.
- `tg agents` — every agent's current task, heartbeat phase, files and lease.
- `tg show <id>` — one task with its blockers, notes and history.
- `tg log` — every change, who made it and when.

## Plans

Plans are markdown files with YAML frontmatter (see `docs/tg/plan-format.md`). Import one with
`tg import plans/<file>.md`; re-importing the same file updates the plan and never moves a task
backwards. `tg export markdown --plan "<title>"` writes the plan back with current statuses.

## Exit codes

0 ok · 2 usage / ambiguous id · 3 not found · 4 refused by the graph (claimed, blocked, cycle,
invalid transition) · 5 store busy (retry) · 6 bad input · 7 store unusable.
Every error prints one line on stderr that says what to do next.
)md";

constexpr std::string_view kPlanFormat = R"md(# Plan files for tg

A plan is a markdown file that starts with YAML frontmatter between `---` lines:

```markdown
---
name: Import pipeline
overview: |
  Read plan files into the graph so agents can execute them task by task.
fileTree: |
  src/plan/parser.cc (create)
risks:
  - description: YAML edge cases
    severity: medium
    mitigation: fuzz the parser
tests:
  - "every corpus file imports"
todos:
  - id: schema
    content: Define the schema
    intent: Tables for plans, tasks and edges.
    changeType: create
    docs: [backend]
  - id: parser
    content: Write the parser
    blockedBy: [schema]
    skill: cpp
  - id: cli
    content: Wire the CLI
    blockedBy: [parser]
    status: pending
---

Anything after the frontmatter is notes for people; tg ignores it.
```

Todo keys: `id` and `content` (required), `status` (`completed`, `canceled`, anything else is
open), `blockedBy` (ids in the same file, in any order), `docs`, `skill`, `changeType`
(create, modify, refactor, fix, investigate, test, document), `intent`, `suggestedChanges`,
`agent`, `priority` (1 = most important), `risk` (low, medium, high), `estimate` (minutes, or
`90m`, `2h`), `tests` and `acceptance` (lists of strings). tg refuses a file with an unknown key
(with the closest known one: `blockedby` → `blockedBy`), a value of the wrong type, duplicate
keys, duplicate ids, unknown `blockedBy` ids or a dependency cycle, and says where
(`file:line:col`); `tg import --lenient` imports the rest and warns instead.

Import with `tg import <file>`; the plan is matched by `--plan`, else by `name`, else by an
earlier import of the same file. Tasks are matched by `id`, so re-importing an edited file
updates it; a todo removed from the file needs `--force` (keep the task) or `--replace`
(cancel it).
)md";

constexpr std::string_view kDomains = R"md(# Domains

Doc slugs that tasks refer to with `docs:` in plan files or `--doc` on `tg task new`.
`tg context <id>` points an agent to `docs/<slug>.md` for each, so write one such file per
slug you use: what that part of the project is, where its code lives, how it is tested.

| slug | doc | what it covers |
|---|---|---|
| (none yet) | | add a row, and `docs/<slug>.md`, for each area your plans name |
)md";

constexpr std::string_view kSkills = R"md(# Skills

Skill slugs that tasks refer to with `skill:` in plan files or `--skill` on `tg task new`.
`tg context <id>` points an agent to `docs/skills/<slug>.md` for each: how this project wants
that kind of work done.

| skill | guide |
|---|---|
| [testing](testing.md) | how tests are written and run here |
)md";

constexpr std::string_view kTestingSkill = R"md(# Skill: testing

- Every change comes with a test that fails without it.
- Run the whole suite before `tg done`, and put the command and its result in `--evidence`.
)md";

constexpr std::string_view kCursorRule = R"md(---
description: How to use tg, the project's task graph
alwaysApply: true
---
Follow AGENTS.md. Claim work with `TG_AGENT=<your-name> tg next --claim --json` (one step:
never list tasks and then start one), read `tg context <id>`, keep the claim alive with
`tg note <id> --msg '{"type":"heartbeat","phase":"...","files":[...]}'`, and finish with
`tg done <id> --evidence "..."`. Cursor gives agents no name: always pass `TG_AGENT`.
)md";

}  // namespace

const std::vector<ScaffoldFile>& ScaffoldFiles() {
  static const std::vector<ScaffoldFile> files{
      {"AGENTS.md", kAgentMd},
      {"docs/tg/plan-format.md", kPlanFormat},
      {"docs/domains.md", kDomains},
      {"docs/skills/README.md", kSkills},
      {"docs/skills/testing.md", kTestingSkill},
      {".cursor/rules/tg.mdc", kCursorRule, Harness::kCursor},
  };
  return files;
}

}  // namespace tg::cli
