// Pictures of the graph (contract section 13): a styled DOT for Graphviz (plans as clusters,
// statuses as colours, the critical path drawn heavy) and one self-contained HTML page (the
// drawing, a plan table, a task table and each task's details, searchable, no network).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/model.h"

namespace tg::exporter {

// The critical path: the longest chain of unfinished tasks linked by `blocks` edges, by total
// estimate (a task without an estimate counts as one minute, so among unestimated tasks the
// longest chain wins). Task ids, first to last; empty when nothing is unfinished.
std::vector<std::string> CriticalPath(const GraphSnapshot& g);

// DOT for `dot -Tsvg`: one cluster per plan, nodes filled by status, critical path in bold red.
std::string ToStyledDot(const GraphSnapshot& g);

struct HtmlPage {
  std::string title;        // "tg: <plan>" or "tg: all plans"
  std::string exported_at;  // ISO time of the snapshot
  std::string svg;          // Graphviz's drawing (made inline here); empty: none
  std::map<std::string, std::vector<Event>> events;  // by task id, oldest first
};

// The whole page. Every stored text is HTML-escaped; nothing refers to the network.
std::string ToHtml(const GraphSnapshot& g, const HtmlPage& page);

// Graphviz's SVG reduced to an element that can sit inside HTML: no XML prolog, doctype,
// comments or namespace declarations (nothing that names a URL).
std::string InlineSvg(const std::string& svg);

}  // namespace tg::exporter
