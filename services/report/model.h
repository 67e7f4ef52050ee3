#ifndef FAZHI_SERVICES_REPORT_MODEL_H_
#define FAZHI_SERVICES_REPORT_MODEL_H_

// The report service's records as plain C++ values: what the store keeps
// and the pure logic reads. No protobuf, no SQL.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/record.h"
#include "services/kernel/layout.h"

namespace fazhi::report {

using ::fazhi::RecordMeta;

struct Contact {
  std::string name;
  std::string phone;
  std::string email;
};

// 原因 and 整改 an organization gives for one kind of data finding. A due
// day with year 0 falls in the year after the report year.
struct FindingRemedy {
  std::string finding;
  std::string cause;
  std::string rectification;
  std::string owner;
  int due_year = 0, due_month = 0, due_day = 0;  // month 0: none
};

// meta.org and meta.id are both the organization's slug.
struct Organization {
  RecordMeta meta;
  std::string full_name;
  std::string region;
  std::vector<std::string> supervisors;  // slugs, not names
  std::string credit_code;               // capitals; empty when unknown
  std::vector<Contact> contacts;
  bool two_person_approval = false;
  std::vector<FindingRemedy> finding_remedies;
  std::string addressee;  // 主送机关; empty: the first supervisor
};

// The layout vocabulary is shared with the gateway.
using ::fazhi::kernel::ContentItem;
using ::fazhi::kernel::LayoutEntry;
using ::fazhi::kernel::LayoutPreset;

struct Layout {
  LayoutPreset preset = LayoutPreset::kRegulation;
  std::vector<LayoutEntry> entries;
};

struct SectionItem {
  std::string heading;
  std::vector<std::string> paragraphs;
};

struct Section {
  ContentItem item = ContentItem::kUnspecified;
  std::vector<SectionItem> items;
};

// Values match fazhi.report.v1.RectificationStatus.
enum class RectificationStatus { kUnspecified = 0, kOpen = 1, kInProgress = 2, kDone = 3 };

struct Shortcoming {
  std::string problem;
  std::string cause;
  std::string rectification;
  std::string owner;
  std::optional<absl::CivilDay> due_date;
  RectificationStatus status = RectificationStatus::kOpen;
};

struct PlanItem {
  std::string heading;
  std::vector<std::string> paragraphs;
  std::string owner;
  std::optional<absl::CivilDay> due_date;
};

struct Signatory {
  std::string name;
  std::string title;
};

// What people write: everything an edit may change.
struct ReportContent {
  std::string title;
  Layout layout;
  std::vector<std::string> preamble;
  std::vector<Section> sections;
  std::vector<Shortcoming> shortcomings;
  std::vector<PlanItem> plan_items;
  Signatory signatory;
  std::optional<absl::CivilDay> report_date;
  std::string document_number;    // 发文字号; empty: no 版头
  absl::CivilDay submit_before;   // exclusive
  absl::CivilDay publish_before;  // exclusive
  std::vector<std::string> suppressed_findings;
  std::map<std::string, std::string> suppression_reasons;  // finding id → why it is off
};

// Values match fazhi.report.v1.ReportState.
enum class ReportState {
  kUnspecified = 0,
  kDraft = 1,
  kSubmitted = 2,
  kApproved = 3,
  kPublished = 4,
  kRejected = 5,
};

struct Transition {
  std::string method;  // the RPC, e.g. "SubmitReport"
  std::string actor;
  absl::Time time;
  std::string comment;
  ReportState from = ReportState::kUnspecified;
  ReportState to = ReportState::kUnspecified;
};

struct Lifecycle {
  std::string submitted_by;  // the latest submission
  std::optional<absl::Time> submit_time;
  std::string approved_by;  // the approval in force
  std::optional<absl::Time> approve_time;
  std::string published_by;  // the latest publication
  std::optional<absl::Time> publish_time;
  // The yearly obligation: the submission behind the first publication, and
  // the first publication. Corrections do not move them.
  std::optional<absl::Time> first_submit_time;
  std::optional<absl::Time> first_publish_time;
  std::optional<Transition> last_transition;  // the latest state change
};

// meta.id is the year as text.
struct Report {
  RecordMeta meta;
  int32_t year = 0;
  ReportContent content;
  ReportState state = ReportState::kDraft;
  int32_t revision = 1;            // the revision worked on
  int32_t published_revision = 0;  // newest published, 0 for none
  std::string correction_reason;   // CreateRevision's comment, for revision > 1
  Lifecycle life;
};

// A rendered document; bytes as handed over, never changed.
struct Document {
  std::string format;
  std::string media_type;
  std::string content;
  std::string sha256;  // lowercase hex
  int64_t size_bytes = 0;
};

// A published, frozen revision.
struct Revision {
  std::string org;
  int32_t year = 0;
  int32_t number = 0;
  Report report;                    // as published
  std::vector<Document> documents;  // content empty unless asked for
  std::string published_by;
  absl::Time publish_time;
  std::string comment;
  std::string correction_reason;
  int32_t superseded_by = 0;
  std::optional<absl::Time> supersede_time;
};

// One recorded mutation.
struct HistoryEntry {
  std::string org;
  int64_t sequence = 0;  // assigned by the store
  absl::Time time;       // assigned by the store
  std::string actor;
  std::string method;
  std::string resource;
  std::string comment;
  ReportState from_state = ReportState::kUnspecified;
  ReportState to_state = ReportState::kUnspecified;
  int32_t revision = 0;
  std::string request_id;
};

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_MODEL_H_
