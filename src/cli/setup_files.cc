#include "cli/setup_files.h"

namespace tg::cli {

namespace {

constexpr std::string_view kAgentMd = R"md(# Working with tg

This project tracks its work in **tg**, a task graph shared by every agent and the developer.
The graph lives in `.taskgraph/`; every command below is safe to run while other agents run
theirs. Set your name once: `export TG_AGENT=<your-agent-name>`.

## The loop

1. **Pick and claim** — `tg next --claim --json` takes the most important runnable task and
   claims it for you in one step; it prints `[]` when nothing is runnable (`--wait 5m` waits
   for a task to become runnable, `--plan "<title>"` stays in one plan). Other agents calling it
   at the same moment get other tasks.
2. **Or choose yourself** — `tg next --json --limit 5` lists runnable tasks, most important
   first; `tg start <id>` claims one. Exit 4 (`TASK_ALREADY_CLAIMED`) means someone else was
   faster: pick another one. With many agents, prefer step 1: listing agents race for the same
   first tasks.
3. **Read** — `tg context <id> --json`: the task's intent, the plan overview, doc and skill
   guides to read, suggested changes, risks, and what its blockers delivered.
4. **Work, and leave a trail** — `tg note <id> --msg "<what you found or decided>"`. For long
   work send heartbeats, which keep your claim alive:
   `tg note <id> --msg '{"type":"heartbeat","phase":"mid-work","files":["src/x.cc"]}'`
5. **Finish** — `tg done <id> --evidence "<tests run, commit, output>"`. Evidence is required.
   Finishing unblocks the tasks that waited for this one.

If you cannot finish: `tg release <id>` gives the task back. If you find a missing
prerequisite: `tg block <id> --on <other-id>`. If a task is too big:
`tg split <id> --into "first part|second part"`.

## Seeing the whole picture

- `tg status` — plans, who is working on what, what is next.
- `tg context --hive --json` — every agent's current task, heartbeat phase and files.
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
`agent`. tg refuses a file with duplicate keys, duplicate ids, unknown `blockedBy` ids or a
dependency cycle, and says where (`file:line:col`).

Import with `tg import <file>`; the plan is matched by `--plan`, else by `name`, else by an
earlier import of the same file. Tasks are matched by `id`, so re-importing an edited file
updates it; a todo removed from the file needs `--force` (keep the task) or `--replace`
(cancel it).
)md";

constexpr std::string_view kDomains = R"md(# Domains

Doc slugs that tasks refer to with `docs:` in plan files or `--doc` on `tg task new`.
`tg context <id>` points an agent to `docs/<slug>.md` for each.

| slug | doc | what it covers |
|---|---|---|
| `backend` | [backend.md](backend.md) | services, storage, APIs |
| `frontend` | [frontend.md](frontend.md) | UI and client code |
| `infra` | [infra.md](infra.md) | build, CI, deployment |
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
Follow AGENT.md: `tg next` → `tg start <id>` → `tg context <id>` → work with `tg note`
heartbeats → `tg done <id> --evidence "..."`. Never work on a task you have not started.
)md";

}  // namespace

const std::vector<ScaffoldFile>& ScaffoldFiles() {
  static const std::vector<ScaffoldFile> files{
      {"AGENT.md", kAgentMd},
      {"docs/tg/plan-format.md", kPlanFormat},
      {"docs/domains.md", kDomains},
      {"docs/skills/README.md", kSkills},
      {"docs/skills/testing.md", kTestingSkill},
      {".cursor/rules/tg-usage.mdc", kCursorRule, true},
  };
  return files;
}

}  // namespace tg::cli
