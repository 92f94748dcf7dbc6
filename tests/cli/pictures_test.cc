// tg export svg|html (contract section 13): Graphviz's drawing with plan clusters, status
// colours and the critical path; one offline HTML page, loaded by headless Chromium, whose
// rendered DOM holds every task and whose screenshot is not blank.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/sandbox.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

bool Has(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Plan "Engine": a (done) blocks b (doing, 60 min) blocks c (todo, 30 min); d (todo, 5 min)
// blocks c too, so the critical path is b -> c. Plan "Docs": e, with a title that needs escaping.
struct Graph {
  std::string a, b, c, d, e;
};

Graph Build(Sandbox& sb) {
  Graph g;
  std::string engine = sb.NewPlan("Engine");
  std::string docs = sb.NewPlan("Docs");
  auto task = [&](const std::string& plan, const std::string& title, const std::string& est) {
    return sb.Json({"task", "new", title, "--plan", plan, "--estimate", est})["hash_id"]
        .get<std::string>();
  };
  g.a = task(engine, "Design the engine", "20");
  g.b = task(engine, "Build the engine", "60");
  g.c = task(engine, "Test the engine", "30");
  g.d = task(engine, "Order parts", "5");
  g.e = task(docs, "Write <b>bold</b> & \"quoted\" docs", "10");
  sb.Ok({"edge", "add", g.a, "blocks", g.b});
  sb.Ok({"edge", "add", g.b, "blocks", g.c});
  sb.Ok({"edge", "add", g.d, "blocks", g.c});
  sb.Ok({"start", g.a}, {{"TG_AGENT", "alice"}});
  sb.Ok({"note", g.a, "--msg", "sketched on the whiteboard"}, {{"TG_AGENT", "alice"}});
  sb.Ok({"done", g.a, "--evidence", "design reviewed by Dana"}, {{"TG_AGENT", "alice"}});
  sb.Ok({"start", g.b}, {{"TG_AGENT", "bob"}});
  return g;
}

TEST(ExportSvg, ClustersStatusColoursAndTheCriticalPath) {
  Sandbox sb;
  Graph g = Build(sb);
  RunResult r = sb.Run({"export", "svg"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string& svg = r.out;
  EXPECT_TRUE(Has(svg, "<svg")) << svg.substr(0, 200);
  EXPECT_TRUE(Has(svg, "cluster")) << "plans drawn as clusters";
  EXPECT_TRUE(Has(svg, "Engine (")) << "the cluster is labelled";
  EXPECT_TRUE(Has(svg, "fill=\"#a8e0a0\"")) << "done in green";
  EXPECT_TRUE(Has(svg, "fill=\"#9fd3f5\"")) << "doing in blue";
  // b and c are on the critical path (drawn red), d is not.
  auto node = [&](const std::string& hash) {
    // Graphviz writes the dashes of an id as "&#45;".
    std::string id;
    for (char c : "node-" + hash) id += c == '-' ? std::string("&#45;") : std::string(1, c);
    size_t at = svg.find("id=\"" + id + "\"");
    if (at == std::string::npos) {
      ADD_FAILURE() << "no node " << hash;
      return std::string();
    }
    size_t end = svg.find("</g>", at);
    return svg.substr(at, end - at);
  };
  EXPECT_TRUE(Has(node(g.b), "#c00000"));
  EXPECT_TRUE(Has(node(g.c), "#c00000"));
  EXPECT_FALSE(Has(node(g.d), "#c00000"));
  EXPECT_FALSE(Has(node(g.a), "#c00000")) << "a finished task is on no critical path";
}

TEST(ExportSvg, OnePlanAndToAFile) {
  Sandbox sb;
  Build(sb);
  std::string out = sb.root() + "/engine.svg";
  RunResult r = sb.Run({"export", "svg", "--plan", "Engine", "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string svg = Slurp(out);
  EXPECT_TRUE(Has(svg, "Build the engine"));
  EXPECT_FALSE(Has(svg, "quoted")) << "a task of another plan";
  EXPECT_EQ(sb.Run({"export", "svg", "--out", sb.root() + "/.taskgraph/x.svg"}).exit_code, 6);
}

TEST(ExportSvg, WithoutGraphvizSaysWhatToInstall) {
  Sandbox sb;
  Build(sb);
  RunResult r = sb.Run({"export", "svg"}, {{"PATH", sb.root() + "/empty"}});
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_TRUE(Has(r.err, "apt-get install graphviz")) << r.err;
}

TEST(ExportHtml, OneSelfContainedPageWithEveryTaskAndItsDetails) {
  Sandbox sb;
  Graph g = Build(sb);
  RunResult r = sb.Run({"export", "html"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string& html = r.out;
  for (const auto& id : {g.a, g.b, g.c, g.d, g.e}) {
    EXPECT_TRUE(Has(html, "id=\"task-" + id + "\"")) << id;
  }
  EXPECT_TRUE(Has(html, "design reviewed by Dana")) << "evidence";
  EXPECT_TRUE(Has(html, "sketched on the whiteboard")) << "notes";
  EXPECT_TRUE(Has(html, "Write &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; docs"));
  EXPECT_FALSE(Has(html, "<b>bold</b>"));
  EXPECT_TRUE(Has(html, "<svg"));
  EXPECT_TRUE(Has(html, "id=\"q\" type=\"search\""));
  // Nothing that a browser would fetch.
  for (const char* ref : {"http://", "https://", "src=", "<link", "@import", "url("}) {
    EXPECT_FALSE(Has(html, ref)) << ref;
  }
}

bool HaveChromium() { return fs::exists("/usr/bin/chromium"); }

RunResult Chromium(const Sandbox& sb, const std::vector<std::string>& args) {
  std::vector<std::string> a{"--headless",     "--no-sandbox",
                             "--disable-gpu",  "--disable-dev-shm-usage",
                             "--no-first-run", "--user-data-dir=" + sb.root() + "/chromium"};
  a.insert(a.end(), args.begin(), args.end());
  return sb.RunBinary("/usr/bin/chromium", a);
}

TEST(ExportHtmlBrowser, ChromiumRendersEveryTaskAndAPictureThatIsNotBlank) {
  // The page does not depend on the store (ExportHtml's tests run on both); the browser, the
  // heaviest process of the suite, runs once.
  TG_SKIP_ON_PG("the page is the same on both stores");
  if (!HaveChromium()) {
    GTEST_SKIP() << "chromium is not installed (Debian package chromium; CI installs it)";
  }
  Sandbox sb;
  Graph g = Build(sb);
  std::string page = sb.root() + "/graph.html";
  ASSERT_EQ(sb.Run({"export", "html", "--out", page}).exit_code, 0);
  RunResult dom = Chromium(sb, {"--dump-dom", "file://" + page});
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  for (const auto& id : {g.a, g.b, g.c, g.d, g.e}) {
    EXPECT_TRUE(Has(dom.out, "id=\"task-" + id + "\"")) << id;
    EXPECT_TRUE(Has(dom.out, "data-id=\"" + id + "\"")) << id;
  }
  EXPECT_TRUE(Has(dom.out, "<svg")) << "the drawing is in the rendered DOM";
  // A screenshot of the page against one of an empty page of the same size.
  std::string blank = sb.root() + "/blank.html";
  std::ofstream(blank) << "<!DOCTYPE html><html><body></body></html>\n";
  std::string shot = sb.root() + "/shot.png", empty = sb.root() + "/empty.png";
  ASSERT_EQ(
      Chromium(sb, {"--screenshot=" + shot, "--window-size=1200,900", "file://" + page}).exit_code,
      0);
  ASSERT_EQ(Chromium(sb, {"--screenshot=" + empty, "--window-size=1200,900", "file://" + blank})
                .exit_code,
            0);
  std::string png = Slurp(shot), none = Slurp(empty);
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  EXPECT_NE(png, none);
  EXPECT_GT(png.size(), 4 * none.size()) << "the page's picture holds far more than a blank one";
  if (getenv("TG_UPDATE_DOCS"))
    fs::copy_file(shot, std::string(TG_DOCS_DIR) + "/export-html.png",
                  fs::copy_options::overwrite_existing);
}

}  // namespace
}  // namespace tg::test
