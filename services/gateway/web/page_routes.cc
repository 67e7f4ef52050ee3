#include "services/gateway/web/page_routes.h"

#include <httplib.h>

#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/gateway/render/renderer.h"
#include "services/kernel/digest.h"

namespace fazhi::gateway::web {
namespace {

struct Asset {
  std::string_view content;
  std::string media_type;
  std::string etag;
};

std::string MediaTypeOf(absl::string_view name) {
  if (absl::EndsWith(name, ".html")) return "text/html; charset=utf-8";
  if (absl::EndsWith(name, ".js")) return "text/javascript; charset=utf-8";
  if (absl::EndsWith(name, ".css")) return "text/css; charset=utf-8";
  if (absl::EndsWith(name, ".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

const std::map<std::string, Asset, std::less<>>& Assets() {
  static const auto* const kAssets = [] {
    auto* assets = new std::map<std::string, Asset, std::less<>>;
    for (const auto& [name, content] : EmbeddedFiles()) {
      const absl::string_view bytes(content.data(), content.size());
      (*assets)[std::string(name)] =
          Asset{content, MediaTypeOf(absl::string_view(name.data(), name.size())),
                absl::StrCat("\"", kernel::Sha256Hex(bytes).substr(0, 32), "\"")};
    }
    return assets;
  }();
  return *kAssets;
}

// 'sha256-…' of the style element of the gateway's HTML rendering, which
// the page shows in a srcdoc frame that inherits the page's policy.
std::string ReportStyleSource() {
  absl::StatusOr<std::string> html =
      fazhi::render::MakeHtmlRenderer()->Render(fazhi::render::Document{});
  if (!html.ok()) return "";
  const size_t open = html->find("<style>");
  const size_t close = html->find("</style>");
  if (open == std::string::npos || close == std::string::npos || close < open) return "";
  const std::string style = html->substr(open + 7, close - open - 7);
  return absl::StrCat(" 'sha256-",
                      absl::Base64Escape(absl::HexStringToBytes(kernel::Sha256Hex(style))), "'");
}

void SetPageHeaders(httplib::Response& response) {
  response.set_header("Content-Security-Policy", PageSecurityPolicy());
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "no-referrer");
  response.set_header("X-Frame-Options", "DENY");
  response.set_header("Cross-Origin-Opener-Policy", "same-origin");
  response.set_header("Cross-Origin-Resource-Policy", "same-origin");
  // Revalidated each time (the ETag makes that cheap): a new gateway
  // serves its own page at once.
  response.set_header("Cache-Control", "no-cache");
}

void Serve(const std::string& name, const httplib::Request& request, httplib::Response& response) {
  SetPageHeaders(response);
  auto it = Assets().find(name);
  if (it == Assets().end()) {
    response.status = 404;
    response.set_content("not found\n", "text/plain; charset=utf-8");
    return;
  }
  const Asset& asset = it->second;
  response.set_header("ETag", asset.etag);
  if (request.get_header_value("If-None-Match") == asset.etag) {
    response.status = 304;
    return;
  }
  response.set_content(std::string(asset.content), asset.media_type.c_str());
}

}  // namespace

const std::string& PageSecurityPolicy() {
  static const auto* const kPolicy = new std::string(absl::StrCat(
      "default-src 'self'; script-src 'self'; style-src 'self'", ReportStyleSource(),
      "; img-src 'self' data: blob:; connect-src 'self'; frame-src 'self'; object-src 'none'; "
      "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"));
  return *kPolicy;
}

void AddPageRoutes(HttpServer& http) {
  http.routes().Get("/", [](const httplib::Request& request, httplib::Response& response) {
    Serve("index.html", request, response);
  });
  http.routes().Get(R"(/web/([A-Za-z0-9_-]+\.[a-z]+))",
                    [](const httplib::Request& request, httplib::Response& response) {
                      Serve(request.matches[1], request, response);
                    });
}

}  // namespace fazhi::gateway::web
