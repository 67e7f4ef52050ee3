#include "services/duty/coverage.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/resource.h"
#include "services/duty/allocate.h"
#include "services/kernel/dates.h"

namespace fazhi::duty {
namespace {

std::string Day(absl::CivilDay day) { return kernel::FormatDate(day); }

const char* StatusName(CertificateStatus status) {
  switch (status) {
    case CertificateStatus::kValid:
      return "VALID";
    case CertificateStatus::kSuspended:
      return "SUSPENDED";
    case CertificateStatus::kRevoked:
      return "REVOKED";
    default:
      return "UNSPECIFIED";
  }
}

Gap PowerGap(GapType type, const Power& p) {
  Gap gap;
  gap.type = type;
  gap.domain = p.domain;
  gap.power_id = p.meta.id;
  gap.power_code = p.code;
  gap.power_name = p.DisplayName();
  return gap;
}

Gap OfficerGap(GapType type, const Officer& o) {
  Gap gap;
  gap.type = type;
  gap.officer_id = o.meta.id;
  gap.officer_name = o.display_name;
  gap.officer_person_id = o.person_id;
  gap.certificate_number = o.certificate.number;
  gap.domain = absl::StrJoin(o.domains, "、");
  return gap;
}

}  // namespace

absl::CivilDay DefaultAsOf(int32_t year, absl::CivilDay today) {
  return today.year() == year ? today : absl::CivilDay(year, 12, 31);
}

CoverageReport Cover(const DutySnapshot& s, const CoverageOptions& options) {
  CoverageReport report;
  report.as_of = options.as_of;
  const absl::CivilDay day = options.as_of;
  DutyTotals& totals = report.totals;
  totals.training_year =
      options.training_year != 0 ? options.training_year : static_cast<int32_t>(day.year());
  totals.required_training_hours = options.required_training_hours;

  std::map<std::string, size_t> officer_index;
  for (size_t o = 0; o < s.officers.size(); ++o) officer_index[s.officers[o].meta.id] = o;
  std::map<std::string, std::vector<const Assignment*>> by_power;
  std::vector<int32_t> loads(s.officers.size(), 0);
  for (const Assignment& a : s.assignments) {
    by_power[a.power_id].push_back(&a);
    auto it = officer_index.find(a.officer_id);
    if (it != officer_index.end()) ++loads[it->second];
  }
  // Why a power is not lawfully staffed: the allocator's diagnosis, where
  // "at capacity" is checked against today's loads (an eligible officer not
  // on the power with room left means it was simply never allocated).
  auto why_unstaffed = [&](const Power& power, const PowerCoverage& pc) {
    StaffingDiagnosis d = DiagnoseStaffing(power, s.officers, day);
    if (d.reason != UnstaffedReason::kAllAtCapacity) return d.reason;
    for (size_t o = 0; o < s.officers.size(); ++o) {
      const Officer& officer = s.officers[o];
      if (!EligibleFor(officer, power, day) || loads[o] >= officer.MaxLoad()) continue;
      if (std::count(pc.officer_ids.begin(), pc.officer_ids.end(), officer.meta.id) > 0) continue;
      return UnstaffedReason::kNotAllocated;
    }
    return d.reason;
  };

  // Powers.
  std::map<PowerType, int32_t> types;
  std::map<std::string, DomainCoverage> domains;
  for (size_t p = 0; p < s.powers.size(); ++p) {
    const Power& power = s.powers[p];
    ++totals.powers;
    ++types[power.type];
    DomainCoverage& domain = domains[power.domain];
    domain.domain = power.domain;
    ++domain.powers;
    if (power.needs_legal_review) {
      ++totals.powers_needing_legal_review;
      ++domain.powers_needing_legal_review;
    }
    PowerCoverage pc;
    pc.power = p;
    pc.required = power.RequiredOfficers();
    for (const Assignment* a : by_power[power.meta.id]) {
      auto it = officer_index.find(a->officer_id);
      if (it == officer_index.end()) continue;
      const Officer& officer = s.officers[it->second];
      ++pc.assigned;
      pc.officer_ids.push_back(officer.meta.id);
      if (a->role == AssignmentRole::kLead) pc.lead_id = officer.meta.id;
      if (!EligibleFor(officer, power, day)) continue;
      ++pc.valid_certified;
      if (officer.legal_qualification) ++pc.legally_qualified;
    }
    totals.assignments += pc.assigned;
    pc.staffed = pc.valid_certified >= pc.required &&
                 (!power.needs_legal_review || pc.legally_qualified > 0);
    if (pc.staffed) {
      ++totals.staffed_powers;
      ++domain.staffed_powers;
    }
    const UnstaffedReason reason =
        pc.staffed ? UnstaffedReason::kUnspecified : why_unstaffed(power, pc);
    if (pc.assigned == 0) {
      Gap gap = PowerGap(GapType::kPowerUnassigned, power);
      gap.reason = reason;
      gap.required = pc.required;
      gap.detail = absl::StrCat("no officer is assigned; it needs ", pc.required);
      report.gaps.push_back(std::move(gap));
    } else {
      if (pc.valid_certified < pc.required) {
        Gap gap = PowerGap(GapType::kUnderstaffedPower, power);
        gap.reason = reason;
        gap.required = pc.required;
        gap.actual = pc.valid_certified;
        gap.detail = absl::StrCat(pc.assigned, " assigned, ", pc.valid_certified,
                                  " of them may enforce it on ", Day(day), " (valid certificate, ",
                                  "established, qualified for the domain); it needs ", pc.required);
        report.gaps.push_back(std::move(gap));
      }
      if (power.needs_legal_review && pc.legally_qualified == 0) {
        Gap gap = PowerGap(GapType::kPowerWithoutLegalReviewer, power);
        gap.reason = reason;
        gap.required = 1;
        gap.detail =
            "it needs 法制审核 and none of its officers who may enforce it holds a legal "
            "qualification";
        report.gaps.push_back(std::move(gap));
      }
    }
    report.powers.push_back(std::move(pc));
  }
  for (const auto& [type, count] : types) totals.powers_by_type.emplace_back(type, count);

  // Officers.
  for (size_t index = 0; index < s.officers.size(); ++index) {
    const Officer& o = s.officers[index];
    ++totals.officers;
    if (o.established) ++totals.established_officers;
    const bool valid = o.certificate.ValidOn(day);
    if (valid) ++totals.certified_officers;
    if (o.legal_qualification) ++totals.legally_qualified_officers;
    if (valid && o.legal_qualification) ++totals.certified_legally_qualified_officers;
    const int32_t hours = o.TrainingHoursIn(totals.training_year);
    // The training requirement is an enforcement officer's: a clerk without
    // a certificate, or staff not established, is not short of it.
    const bool training_applies = o.established && valid;
    report.officers.push_back(OfficerStanding{index, valid, training_applies, hours});
    if (training_applies) {
      ++totals.training_officers;
      totals.training_hours += hours;
    }
    if (training_applies && hours >= options.required_training_hours) {
      ++totals.officers_meeting_training;
    } else if (training_applies) {
      Gap gap = OfficerGap(GapType::kTrainingHoursShort, o);
      gap.required = options.required_training_hours;
      gap.actual = hours;
      gap.detail = absl::StrCat(hours, " training hours in ", totals.training_year, ", ",
                                options.required_training_hours, " required");
      report.gaps.push_back(std::move(gap));
    }
    for (auto& [name, domain] : domains) {
      if (!o.established || !o.QualifiedFor(name)) continue;
      ++domain.officers;
      if (!valid) continue;
      ++domain.valid_certified_officers;
      if (o.legal_qualification) ++domain.legally_qualified_officers;
    }
    if (!o.certificate.present()) continue;
    const Certificate& c = o.certificate;
    const int32_t days = static_cast<int32_t>(c.expiry - day);
    if (c.status != CertificateStatus::kValid || day < c.issued) {
      Gap gap = OfficerGap(GapType::kCertificateNotValid, o);
      gap.date = c.expiry;
      gap.days = days;
      gap.detail =
          c.status != CertificateStatus::kValid
              ? absl::StrCat("certificate ", c.number, " is ", StatusName(c.status))
              : absl::StrCat("certificate ", c.number, " is valid only from ", Day(c.issued));
      report.gaps.push_back(std::move(gap));
    } else if (c.expiry < day) {
      Gap gap = OfficerGap(GapType::kCertificateExpired, o);
      gap.date = c.expiry;
      gap.days = days;
      gap.detail = absl::StrCat("certificate ", c.number, " expired on ", Day(c.expiry), ", ",
                                -days, " days before ", Day(day));
      report.gaps.push_back(std::move(gap));
    } else if (days <= options.expiring_within_days) {
      Gap gap = OfficerGap(GapType::kCertificateExpiring, o);
      gap.date = c.expiry;
      gap.days = days;
      gap.detail = absl::StrCat("certificate ", c.number, " expires on ", Day(c.expiry), ", in ",
                                days, " days");
      report.gaps.push_back(std::move(gap));
    }
  }

  // Domains.
  for (auto& [name, domain] : domains) {
    totals.powers_by_domain.emplace_back(name, domain.powers);
    if (domain.legally_qualified_officers == 0) {
      Gap gap;
      gap.type = GapType::kDomainWithoutLegalReviewer;
      gap.domain = name;
      gap.required = 1;
      gap.actual = 0;
      gap.detail = absl::StrCat(domain.powers, " powers (", domain.powers_needing_legal_review,
                                " needing 法制审核) and no established officer qualified for it ",
                                "with a valid certificate holds a legal qualification; ",
                                domain.valid_certified_officers, " valid certified officers");
      report.gaps.push_back(std::move(gap));
    }
    report.domains.push_back(domain);
  }
  totals.posts = static_cast<int32_t>(s.posts.size());

  // Power and domain gaps by domain and code, officer gaps by person id.
  auto place = [](const Gap& g) { return g.officer_person_id.empty() ? g.domain : std::string(); };
  std::stable_sort(report.gaps.begin(), report.gaps.end(), [&](const Gap& a, const Gap& b) {
    return std::make_tuple(a.type, place(a), a.power_code, a.officer_person_id) <
           std::make_tuple(b.type, place(b), b.power_code, b.officer_person_id);
  });
  std::map<GapType, int32_t> counts;
  for (const Gap& gap : report.gaps) ++counts[gap.type];
  for (const auto& [type, count] : counts) report.gap_counts.emplace_back(type, count);
  return report;
}

absl::Status CheckEligibleByHand(const AssignmentContext& c, absl::CivilDay today) {
  const Officer& o = c.officer;
  const Power& p = c.power;
  const std::string who = ChildResourceName(o.meta.org, "officers", o.meta.id);
  std::vector<std::string> reasons;
  if (!o.established) reasons.push_back("is not established staff (在编在岗)");
  const Certificate& cert = o.certificate;
  if (!cert.present()) {
    reasons.push_back("holds no enforcement certificate (行政执法证)");
  } else if (cert.status != CertificateStatus::kValid) {
    reasons.push_back(
        absl::StrCat("holds certificate ", cert.number, " which is ", StatusName(cert.status)));
  } else if (today < cert.issued) {
    reasons.push_back(
        absl::StrCat("holds certificate ", cert.number, " valid only from ", Day(cert.issued)));
  } else if (cert.expiry < today) {
    reasons.push_back(
        absl::StrCat("holds certificate ", cert.number, " which expired on ", Day(cert.expiry)));
  }
  if (!o.QualifiedFor(p.domain)) {
    reasons.push_back(absl::StrCat(
        "is not qualified for the domain \"", p.domain,
        "\" (qualified for: ", o.domains.empty() ? "none" : absl::StrJoin(o.domains, ", "), ")"));
  }
  if (!p.post_id.empty() && o.post_id != p.post_id) {
    reasons.push_back(absl::StrCat("does not hold the power's post ",
                                   ChildResourceName(p.meta.org, "posts", p.post_id)));
  }
  if (static_cast<int32_t>(c.officer_assignments.size()) >= o.MaxLoad()) {
    reasons.push_back(absl::StrCat("already holds ", c.officer_assignments.size(),
                                   " powers, the maximum load of ", o.MaxLoad()));
  }
  if (reasons.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("officer ", who, " may not enforce power ",
                                                    p.code, " on ", Day(today), ": ",
                                                    absl::StrJoin(reasons, "; ")));
}

absl::Status CheckSingleLead(const AssignmentContext& c, const Assignment& assignment) {
  if (assignment.role != AssignmentRole::kLead) return absl::OkStatus();
  for (const Assignment& a : c.power_assignments) {
    if (a.role == AssignmentRole::kLead && a.officer_id != assignment.officer_id) {
      return absl::FailedPreconditionError(
          absl::StrCat("power ", c.power.code, " already has a lead (主办), ",
                       ChildResourceName(c.power.meta.org, "officers", a.officer_id),
                       "; make that one an assistant first"));
    }
  }
  return absl::OkStatus();
}

}  // namespace fazhi::duty
