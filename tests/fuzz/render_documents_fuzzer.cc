// A random narrative, composed into a document and rendered in every format:
// each rendering must come out (no crash, no error), the DOCX's
// word/document.xml must be well-formed XML, and the HTML must parse with
// no error but libxml2's own ignorance of HTML5 tag names. Whatever text a
// caller stored, no rendering of it can be a broken or different document.
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "services/gateway/render/document.h"
#include "services/gateway/render/renderer.h"

namespace {

int errors = 0;

void CountError(void*, xmlErrorPtr error) {
  // The HTML parser knows HTML 4 only: <main>, <section>… are not errors here.
  if (error != nullptr && error->code == XML_HTML_UNKNOWN_TAG) return;
  if (error != nullptr && error->level >= XML_ERR_ERROR) ++errors;
}

// The input cut at 0x1E bytes into the document's fields and blocks: the
// first byte of each block picks its kind and level.
fazhi::render::Document DocumentOf(const std::string& input) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= input.size(); ++i) {
    if (i == input.size() || input[i] == '\x1E') {
      parts.push_back(input.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.resize(std::max<size_t>(parts.size(), 5));
  fazhi::render::Document d;
  d.organ = parts[0];
  d.title = parts[1];
  d.addressee = parts[2];
  d.signature = parts[3];
  d.date = parts[4];
  for (size_t i = 5; i < parts.size() && i < 200; ++i) {
    const std::string& part = parts[i];
    const unsigned char pick = part.empty() ? 0 : static_cast<unsigned char>(part[0]);
    const std::string text = part.empty() ? "" : part.substr(1);
    if (pick % 3 == 0) {
      d.body.push_back({fazhi::render::BlockKind::kHeading, 1 + pick / 3 % 4, "", text});
    } else {
      d.body.push_back({fazhi::render::BlockKind::kParagraph, 0, "", text});
    }
  }
  fazhi::render::NumberHeadings(d);
  return d;
}

std::string DocumentXml(const std::string& docx) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(docx.data(), docx.size(), 0, &error);
  if (source == nullptr) std::abort();
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) std::abort();
  zip_stat_t stat;
  if (zip_stat(archive, "word/document.xml", 0, &stat) != 0) std::abort();
  zip_file_t* file = zip_fopen(archive, "word/document.xml", 0);
  if (file == nullptr) std::abort();
  std::string xml(stat.size, '\0');
  if (zip_fread(file, xml.data(), stat.size) != static_cast<zip_int64_t>(stat.size)) std::abort();
  zip_fclose(file);
  zip_close(archive);
  return xml;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  xmlSetStructuredErrorFunc(nullptr, CountError);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fazhi::render::Document d =
      DocumentOf(std::string(reinterpret_cast<const char*>(data), size));
  for (const std::string& format : fazhi::render::SupportedFormats()) {
    if (!fazhi::render::RendererFor(format)->Render(d).ok()) std::abort();
  }

  const auto docx = fazhi::render::RendererFor("docx")->Render(d);
  const std::string xml = DocumentXml(*docx);
  errors = 0;
  xmlDocPtr parsed = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "document.xml",
                                   nullptr, XML_PARSE_NONET);
  if (parsed == nullptr || errors != 0) std::abort();
  xmlFreeDoc(parsed);

  const auto html = fazhi::render::RendererFor("html")->Render(d);
  errors = 0;
  htmlDocPtr page = htmlReadMemory(html->data(), static_cast<int>(html->size()), "report.html",
                                   "utf-8", HTML_PARSE_NONET);
  if (page == nullptr || errors != 0) std::abort();
  xmlFreeDoc(page);
  return 0;
}
