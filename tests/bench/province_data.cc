#include "tests/bench/province_data.h"

#include <algorithm>
#include <numeric>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "services/report/credit_code.h"

namespace fazhi::bench {
namespace {

namespace study_v1 = ::fazhi::study::v1;
namespace duty_v1 = ::fazhi::duty::v1;
namespace report_v1 = ::fazhi::report::v1;

constexpr int kDepartmentsPerCounty = 20;
constexpr int kCountiesPerCity = 10;

// Streams of random numbers, so adding rows of one kind never shifts another.
enum Stream : uint64_t {
  kRosterStream = 1,
  kOrgStream,
  kPlanStream,
  kSessionStream,
  kEventStream,
  kPostStream,
  kPowerStream,
  kOfficerStream,
};

struct Department {
  const char* slug;
  const char* name;
  std::vector<std::string> domains;
};

const std::vector<Department>& Departments() {
  static const auto* departments = new std::vector<Department>{
      {"minzheng", "民政局", {"社会救助", "婚姻登记", "养老服务", "社会组织", "殡葬管理"}},
      {"shijianju", "市场监督管理局", {"食品安全", "特种设备", "价格监管", "广告监管", "产品质量"}},
      {"renshe", "人力资源和社会保障局", {"劳动保障监察", "社会保险", "职业技能培训"}},
      {"ziranziyuan", "自然资源局", {"土地管理", "矿产资源", "测绘地理信息"}},
      {"shengtai", "生态环境分局", {"大气污染防治", "水污染防治", "固体废物管理"}},
      {"zhujian", "住房和城乡建设局", {"建筑市场", "房地产市场", "燃气管理"}},
      {"jiaotong", "交通运输局", {"道路运输", "公路路政", "水路运输"}},
      {"nongye", "农业农村局", {"农产品质量安全", "种子管理", "动物防疫"}},
      {"weijian", "卫生健康委员会", {"公共卫生", "医疗机构管理", "职业卫生"}},
      {"yingji", "应急管理局", {"安全生产", "危险化学品", "烟花爆竹"}},
      {"wenlv", "文化广电和旅游局", {"文化市场", "旅游市场", "广播电视"}},
      {"jiaoyu", "教育局", {"民办教育", "校外培训", "教师资格"}},
      {"shuili", "水利局", {"水资源管理", "河道管理", "水土保持"}},
      {"linye", "林业局", {"林木采伐", "野生动物保护", "森林防火"}},
      {"tongji", "统计局", {"统计执法"}},
      {"caizheng", "财政局", {"政府采购", "会计监督"}},
      {"sifa", "司法局", {"律师管理", "人民调解", "法律援助"}},
      {"chengguan", "城市管理局", {"市容环境", "园林绿化", "市政设施"}},
      {"yibao", "医疗保障局", {"医保基金监管", "定点医药机构"}},
      {"shangwu", "商务局", {"成品油流通", "再生资源回收"}},
  };
  return *departments;
}

const std::vector<std::string>& Laws() {
  static const auto* laws = new std::vector<std::string>{"宪法",
                                                         "民法典",
                                                         "行政处罚法",
                                                         "行政许可法",
                                                         "行政强制法",
                                                         "行政复议法",
                                                         "行政诉讼法",
                                                         "国家赔偿法",
                                                         "政府信息公开条例",
                                                         "优化营商环境条例",
                                                         "安全生产法",
                                                         "食品安全法",
                                                         "药品管理法",
                                                         "环境保护法",
                                                         "土地管理法",
                                                         "城乡规划法",
                                                         "建筑法",
                                                         "道路交通安全法",
                                                         "消防法",
                                                         "治安管理处罚法",
                                                         "劳动法",
                                                         "劳动合同法",
                                                         "社会保险法",
                                                         "老年人权益保障法",
                                                         "未成年人保护法",
                                                         "妇女权益保障法",
                                                         "残疾人保障法",
                                                         "慈善法",
                                                         "社会救助暂行办法",
                                                         "教育法",
                                                         "传染病防治法",
                                                         "基本医疗卫生与健康促进法",
                                                         "森林法",
                                                         "水法",
                                                         "农产品质量安全法",
                                                         "种子法",
                                                         "统计法",
                                                         "预算法",
                                                         "保守国家秘密法",
                                                         "档案法",
                                                         "公职人员政务处分法",
                                                         "监察法",
                                                         "反电信网络诈骗法",
                                                         "个人信息保护法",
                                                         "数据安全法",
                                                         "网络安全法",
                                                         "人民调解法",
                                                         "法律援助法",
                                                         "信访工作条例",
                                                         "重大行政决策程序暂行条例"};
  return *laws;
}

const std::vector<std::string>& Surnames() {
  static const auto* names = new std::vector<std::string>{
      "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
      "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧"};
  return *names;
}

const std::vector<std::string>& GivenNameChars() {
  static const auto* chars = new std::vector<std::string>{
      "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
      "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "红",
      "玉", "兰", "志", "海", "林", "春", "晓", "燕", "鹏", "辉", "婷", "宇"};
  return *chars;
}

const std::vector<std::string>& PlaceSyllables() {
  static const auto* s =
      new std::vector<std::string>{"安", "宁", "平", "永", "泰", "兴", "和", "长", "清", "新",
                                   "丰", "源", "阳", "山", "川", "城", "河", "江", "云", "石"};
  return *s;
}

std::string TwoSyllables(int n) {
  const auto& s = PlaceSyllables();
  return s[n % s.size()] + s[(n / s.size() + 3 * n + 7) % s.size()];
}

int CountyOf(int org) { return (org - 1) / kDepartmentsPerCounty + 1; }
int CityOf(int org) { return (CountyOf(org) - 1) / kCountiesPerCity + 1; }
const Department& DepartmentOf(int org) { return Departments()[(org - 1) % kDepartmentsPerCounty]; }
std::string CountyName(int org) { return TwoSyllables(CountyOf(org) * 7 + 1) + "县"; }
std::string CityName(int org) { return TwoSyllables(CityOf(org) * 11 + 5) + "市"; }
// Six-digit administrative division: province 41, city, county.
std::string Division(int org) {
  return absl::StrFormat("41%02d%02d", CityOf(org) % 100,
                         (CountyOf(org) - 1) % kCountiesPerCity + 21);
}

const char* kChineseDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

// 1-99 in Chinese numerals, as article numbers are written.
std::string ChineseNumber(int n) {
  if (n < 10) return kChineseDigits[n];
  std::string out = n >= 20 ? absl::StrCat(kChineseDigits[n / 10], "十") : "十";
  if (n % 10 != 0) out += kChineseDigits[n % 10];
  return out;
}

google::type::Date ToDate(absl::CivilDay day) {
  google::type::Date d;
  d.set_year(static_cast<int>(day.year()));
  d.set_month(day.month());
  d.set_day(day.day());
  return d;
}

absl::CivilDay DayOfYear(int year, int index) { return absl::CivilDay(year, 1, 1) + index; }

int DaysIn(int year) {
  return static_cast<int>(absl::CivilDay(year + 1, 1, 1) - absl::CivilDay(year, 1, 1));
}

// k distinct indexes of [0, n), in the order drawn.
std::vector<int> Sample(Rng& rng, int n, int k) {
  std::vector<int> all(n);
  std::iota(all.begin(), all.end(), 0);
  k = std::min(k, n);
  for (int i = 0; i < k; ++i) std::swap(all[i], all[rng.Between(i, n - 1)]);
  all.resize(k);
  return all;
}

// A few distinct laws.
std::vector<std::string> SomeLaws(Rng& rng, int k) {
  std::vector<std::string> out;
  for (int i : Sample(rng, static_cast<int>(Laws().size()), k)) out.push_back(Laws()[i]);
  return out;
}

int Leaders(int roster) { return std::min(roster, 9); }

}  // namespace

uint64_t Rng::Next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

Rng Rng::Of(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
  Rng mix(a);
  uint64_t s = mix.Next();
  for (uint64_t v : {b, c, d}) {
    Rng step(s ^ (v * 0xD6E8FEB86659FD93ULL));
    s = step.Next();
  }
  return Rng(s);
}

int Rng::Between(int lo, int hi) {
  if (hi <= lo) return lo;
  const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  return lo + static_cast<int>(Next() % span);
}

bool Rng::Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }

ProvinceCounts CountsOf(const ProvinceShape& shape) {
  ProvinceCounts c;
  c.organizations = shape.orgs;
  c.reports = int64_t{shape.orgs} * shape.years;
  c.plans = c.reports;
  c.sessions = c.reports * shape.sessions_per_year;
  c.events = c.reports * shape.events_per_year;
  c.posts = int64_t{shape.orgs} * shape.posts;
  c.powers = int64_t{shape.orgs} * shape.powers;
  c.officers = int64_t{shape.orgs} * shape.officers;
  return c;
}

std::string OrgSlug(int org) {
  return absl::StrFormat("c%03d-%s", CountyOf(org), DepartmentOf(org).slug);
}

std::string OrgName(int org) { return absl::StrCat("orgs/", OrgSlug(org)); }

std::vector<Person> Roster(const ProvinceShape& shape, int org) {
  Rng rng = Rng::Of(shape.seed, org, 0, kRosterStream);
  // Enough staff for the officers, the leaders and some more.
  const int size = std::max(shape.officers + 12, rng.Between(30, 90));
  std::vector<Person> roster;
  roster.reserve(size);
  for (int n = 0; n < size; ++n) {
    Person p;
    p.person_id = absl::StrFormat("%s-%04d", OrgSlug(org), n);
    p.name = rng.Pick(Surnames()) + rng.Pick(GivenNameChars());
    if (rng.Chance(0.6)) p.name += rng.Pick(GivenNameChars());
    p.head = n == 0;
    roster.push_back(std::move(p));
  }
  return roster;
}

report_v1::Organization MakeOrganization(const ProvinceShape& shape, int org) {
  Rng rng = Rng::Of(shape.seed, org, 0, kOrgStream);
  const Department& dept = DepartmentOf(org);
  report_v1::Organization o;
  o.set_name(OrgName(org));
  o.set_full_name(absl::StrCat(CountyName(org), dept.name));
  o.set_region(absl::StrCat("示范省", CityName(org), CountyName(org)));
  o.add_supervisors(absl::StrFormat("orgs/c%03d-yifazhi", CountyOf(org)));
  o.add_supervisors(absl::StrFormat("orgs/s%02d-%s", CityOf(org), dept.slug));
  const std::string first17 =
      absl::StrCat("11", Division(org), absl::StrFormat("%09d", 570000000 + org));
  const std::optional<char> check = fazhi::report::CreditCodeCheckChar(first17);
  o.set_credit_code(absl::StrCat(first17, std::string(1, check.value_or('0'))));
  auto* contact = o.add_contacts();
  contact->set_name("政策法规股");
  contact->set_phone(absl::StrFormat("0375-%07d", 5000000 + rng.Between(0, 999999)));
  contact->set_email(absl::StrCat("fgg@", OrgSlug(org), ".example.org"));
  o.set_two_person_approval(rng.Chance(0.5));
  return o;
}

report_v1::Report MakeReport(const ProvinceShape&, int org, int year) {
  report_v1::Report r;
  r.set_title(
      absl::StrCat(CountyName(org), DepartmentOf(org).name, year, "年度法治政府建设情况报告"));
  r.add_preamble(
      "{{year}}年，{{org.name}}坚持以习近平法治思想为引领，认真落实法治政府建设各项部署，"
      "各项工作在法治轨道上有序开展。现将全年情况报告如下。");
  auto* measures = r.add_sections();
  measures->set_item(report_v1::CONTENT_ITEM_MEASURES);
  auto* study_item = measures->add_items();
  study_item->set_heading("领导班子学法常态化");
  study_item->add_paragraphs(
      "全年班子集体学法{{study.leadership.sessions}}次，组织集中学习{{study.sessions.all_staff}}"
      "次，"
      "累计学习{{study.staff_hours}}人·小时，重点学习了{{study.laws | 书名号}}。");
  auto* publicity = measures->add_items();
  publicity->set_heading("落实“谁执法谁普法”责任制");
  publicity->add_paragraphs(
      "在{{study.publicity.places | "
      "顿号}}等地开展普法宣传，摆放展板{{study.publicity.display_boards}}块、"
      "发放宣传资料{{study.publicity.leaflets}}份，受众{{study.publicity.people_reached}}人次。");
  auto* enforcement = measures->add_items();
  enforcement->set_heading("严格规范公正文明执法");
  enforcement->add_paragraphs("全局持有效执法证件人员{{duty.officers.valid | 人}}。");
  return r;
}

study_v1::StudyPlan MakePlan(const ProvinceShape& shape, int org, int year) {
  Rng rng = Rng::Of(shape.seed, org, year, kPlanStream);
  study_v1::StudyPlan p;
  p.set_name(absl::StrCat(OrgName(org), "/studyPlans/", year));
  // Most adopt their plan in the first quarter; some are late.
  *p.mutable_adopted_date() = ToDate(DayOfYear(year, rng.Between(10, 110)));
  p.set_title(absl::StrCat(CountyName(org), DepartmentOf(org).name, year, "年领导班子学法计划"));
  auto rule = [&p](study_v1::StudyKind kind, study_v1::RulePeriod period, int sessions,
                   int minutes) {
    auto* r = p.add_rules();
    r->set_kind(kind);
    r->set_period(period);
    r->set_min_sessions(sessions);
    r->set_min_minutes(minutes);
  };
  rule(study_v1::STUDY_KIND_LEADERSHIP_GROUP, study_v1::RULE_PERIOD_QUARTER, 1, 30);
  rule(study_v1::STUDY_KIND_ALL_STAFF, study_v1::RULE_PERIOD_MONTH, 1, 0);
  rule(study_v1::STUDY_KIND_LECTURE, study_v1::RULE_PERIOD_YEAR, 2, 0);
  p.set_eligible_staff(static_cast<int>(Roster(shape, org).size()));
  for (const std::string& law : SomeLaws(rng, 4)) p.add_planned_laws(law);
  return p;
}

std::vector<study_v1::Session> MakeSessions(const ProvinceShape& shape, int org, int year) {
  const std::vector<Person> roster = Roster(shape, org);
  const int staff = static_cast<int>(roster.size());
  const int leaders = Leaders(staff);
  const std::string slug = OrgSlug(org);
  std::vector<study_v1::Session> sessions;
  sessions.reserve(shape.sessions_per_year);
  for (int i = 0; i < shape.sessions_per_year; ++i) {
    Rng rng =
        Rng::Of(shape.seed, org, year, (uint64_t{kSessionStream} << 32) | static_cast<uint64_t>(i));
    study_v1::Session s;
    *s.mutable_date() = ToDate(DayOfYear(year, rng.Between(0, DaysIn(year) - 1)));
    // Kinds in roughly the proportions county departments report.
    const int k = rng.Between(0, 99);
    const auto kind = k < 12   ? study_v1::STUDY_KIND_LEADERSHIP_GROUP
                      : k < 30 ? study_v1::STUDY_KIND_PRE_MEETING
                      : k < 44 ? study_v1::STUDY_KIND_ALL_STAFF
                      : k < 49 ? study_v1::STUDY_KIND_LECTURE
                      : k < 84 ? study_v1::STUDY_KIND_TRAINING
                      : k < 86 ? study_v1::STUDY_KIND_CONSTITUTIONAL_OATH
                      : k < 89 ? study_v1::STUDY_KIND_LAW_EXAM
                      : k < 90 ? study_v1::STUDY_KIND_DUTY_STATEMENT
                               : study_v1::STUDY_KIND_OTHER;
    s.set_kind(kind);
    const std::vector<std::string> laws = SomeLaws(rng, rng.Between(1, 3));
    for (const std::string& law : laws) s.add_laws(law);
    switch (kind) {
      case study_v1::STUDY_KIND_LEADERSHIP_GROUP:
        s.set_title(absl::StrCat("党组理论学习中心组专题学习《", laws[0], "》"));
        break;
      case study_v1::STUDY_KIND_PRE_MEETING:
        s.set_title(absl::StrCat("局务会会前学法：", laws[0]));
        break;
      case study_v1::STUDY_KIND_LECTURE:
        s.set_title(absl::StrCat("法治专题讲座：", laws[0], "解读与实务"));
        break;
      case study_v1::STUDY_KIND_CONSTITUTIONAL_OATH:
        s.set_title("新任职人员宪法宣誓仪式");
        break;
      case study_v1::STUDY_KIND_LAW_EXAM:
        s.set_title(absl::StrCat(year, "年度学法用法考试"));
        break;
      case study_v1::STUDY_KIND_DUTY_STATEMENT:
        s.set_title(absl::StrCat(year, "年度领导干部述法"));
        break;
      default:
        s.set_title(absl::StrCat("学习", laws[0], rng.Chance(0.5) ? "专题辅导" : "与依法行政实务"));
    }
    s.set_duration_minutes(kind == study_v1::STUDY_KIND_PRE_MEETING ? rng.Between(15, 40)
                           : kind == study_v1::STUDY_KIND_TRAINING  ? rng.Between(60, 480)
                           : kind == study_v1::STUDY_KIND_CONSTITUTIONAL_OATH
                               ? 30
                               : rng.Between(45, 150));
    s.set_location(rng.Chance(0.7)   ? "局三楼会议室"
                   : rng.Chance(0.5) ? "县党校报告厅"
                                     : "线上学法平台");
    // Who attended: named people from the roster, or only a head count.
    std::vector<int> named;
    int count = 0;
    bool head = false;
    switch (kind) {
      case study_v1::STUDY_KIND_LEADERSHIP_GROUP:
      case study_v1::STUDY_KIND_DUTY_STATEMENT:
        for (int p = 0; p < leaders; ++p) {
          if (p == 0 ? rng.Chance(0.93) : rng.Chance(0.9)) named.push_back(p);
        }
        break;
      case study_v1::STUDY_KIND_PRE_MEETING:
        for (int p = 0; p < std::min(staff, leaders + 6); ++p) {
          if (rng.Chance(0.85)) named.push_back(p);
        }
        break;
      case study_v1::STUDY_KIND_ALL_STAFF:
      case study_v1::STUDY_KIND_LAW_EXAM:
        for (int p = 0; p < staff; ++p) {
          if (rng.Chance(0.92)) named.push_back(p);
        }
        break;
      case study_v1::STUDY_KIND_TRAINING:
        named = Sample(rng, staff - 1, rng.Between(3, 20));
        for (int& p : named) p += 1;  // the head does not go to trainings
        std::sort(named.begin(), named.end());
        break;
      case study_v1::STUDY_KIND_CONSTITUTIONAL_OATH:
        named = Sample(rng, staff, rng.Between(2, 8));
        std::sort(named.begin(), named.end());
        break;
      default:
        count = rng.Between(20, 200);
        head = rng.Chance(0.6);
    }
    if (named.empty() && count == 0) named.push_back(1);
    for (int p : named) {
      auto* a = s.add_attendees();
      a->set_person_id(roster[p].person_id);
      a->set_display_name(roster[p].name);
      a->set_is_head(roster[p].head);
    }
    s.set_attendee_count(count > 0 ? count : static_cast<int>(named.size()));
    s.set_head_attended(head);
    s.set_external_id(absl::StrFormat("%s-%d-s%05d", slug, year, i));
    s.add_evidence(absl::StrFormat("学法记录-%d-%05d.pdf", year, i));
    if (rng.Chance(0.3)) s.add_evidence(absl::StrFormat("签到表-%d-%05d.jpg", year, i));
    if (rng.Chance(0.1)) s.set_notes("结合本单位执法案例开展讨论。");
    sessions.push_back(std::move(s));
  }
  return sessions;
}

std::vector<study_v1::PublicityEvent> MakeEvents(const ProvinceShape& shape, int org, int year) {
  static const auto* places = new std::vector<std::string>{
      "县政务服务中心", "人民广场",       "城关镇文化广场", "县救助站",       "县婚姻登记处",
      "农贸市场",       "县第一高级中学", "社区服务中心",   "乡镇便民服务站", "工业园区"};
  const std::string slug = OrgSlug(org);
  std::vector<study_v1::PublicityEvent> events;
  for (int i = 0; i < shape.events_per_year; ++i) {
    Rng rng =
        Rng::Of(shape.seed, org, year, (uint64_t{kEventStream} << 32) | static_cast<uint64_t>(i));
    study_v1::PublicityEvent e;
    const int k = i == 0 ? 0 : rng.Between(1, 99);
    if (k == 0) {
      e.set_kind(study_v1::PUBLICITY_KIND_CONSTITUTION_DAY);
      *e.mutable_date() = ToDate(absl::CivilDay(year, 12, 4));
      e.set_title("“12·4”国家宪法日集中宣传");
    } else if (k < 10) {
      e.set_kind(study_v1::PUBLICITY_KIND_CONSTITUTION_WEEK);
      *e.mutable_date() = ToDate(absl::CivilDay(year, 12, rng.Between(1, 7)));
      e.set_title("宪法宣传周进机关");
    } else if (k < 25) {
      e.set_kind(study_v1::PUBLICITY_KIND_CIVIL_CODE_MONTH);
      *e.mutable_date() = ToDate(absl::CivilDay(year, 5, rng.Between(1, 31)));
      e.set_title("民法典宣传月主题活动");
    } else {
      e.set_kind(k < 55   ? study_v1::PUBLICITY_KIND_SERVICE_SITE
                 : k < 80 ? study_v1::PUBLICITY_KIND_PUBLIC_SPACE
                 : k < 95 ? study_v1::PUBLICITY_KIND_ONLINE
                          : study_v1::PUBLICITY_KIND_OTHER);
      *e.mutable_date() = ToDate(DayOfYear(year, rng.Between(0, DaysIn(year) - 1)));
      e.set_title(absl::StrCat(DepartmentOf(org).domains[0], "领域法治宣传"));
    }
    e.set_place(e.kind() == study_v1::PUBLICITY_KIND_ONLINE ? "微信公众号" : rng.Pick(*places));
    for (const std::string& law : SomeLaws(rng, rng.Between(1, 2))) e.add_laws(law);
    e.set_display_boards(rng.Between(0, 12));
    e.set_leaflets(rng.Between(50, 1500));
    e.set_people_reached(rng.Between(30, 3000));
    e.set_consultations(rng.Between(0, 80));
    e.set_external_id(absl::StrFormat("%s-%d-p%03d", slug, year, i));
    e.add_evidence(absl::StrFormat("活动照片-%d-%03d.jpg", year, i));
    events.push_back(std::move(e));
  }
  return events;
}

std::vector<duty_v1::Post> MakePosts(const ProvinceShape& shape, int org) {
  const Department& dept = DepartmentOf(org);
  std::vector<duty_v1::Post> posts;
  for (int n = 1; n <= shape.posts; ++n) {
    Rng rng = Rng::Of(shape.seed, org, n, kPostStream);
    duty_v1::Post p;
    p.set_name(absl::StrFormat("%s/posts/zf%d", OrgName(org), n));
    p.set_display_name(absl::StrCat("行政执法", ChineseNumber(n), "岗"));
    const std::string& domain = dept.domains[(n - 1) % dept.domains.size()];
    p.set_unit(absl::StrCat(domain, "股"));
    p.add_domains(domain);
    p.set_standards("依法履行本岗位行政执法职责，执行执法全过程记录制度。");
    p.set_procedures("受理、调查、审核、决定、送达、归档。");
    p.set_capacity(rng.Between(4, 12));
    posts.push_back(std::move(p));
  }
  return posts;
}

std::vector<duty_v1::Power> MakePowers(const ProvinceShape& shape, int org) {
  static const auto* stages = new std::vector<std::pair<std::string, std::string>>{
      {"受理", "依法受理或者不予受理，不予受理的告知理由"},
      {"审查", "审查材料、调查核实，需要时现场检查"},
      {"决定", "依法作出决定，重大决定经法制审核和集体讨论"},
      {"送达", "依法送达决定书并告知救济途径"},
      {"事后监管", "跟踪检查、建立档案、依法公开"}};
  const Department& dept = DepartmentOf(org);
  const std::string slug = OrgSlug(org);
  std::vector<duty_v1::Power> powers;
  for (int n = 1; n <= shape.powers; ++n) {
    Rng rng = Rng::Of(shape.seed, org, n, kPowerStream);
    duty_v1::Power p;
    const int t = rng.Between(0, 99);
    const auto type = t < 45   ? duty_v1::POWER_TYPE_PENALTY
                      : t < 65 ? duty_v1::POWER_TYPE_INSPECTION
                      : t < 80 ? duty_v1::POWER_TYPE_LICENSING
                      : t < 88 ? duty_v1::POWER_TYPE_COERCION
                      : t < 93 ? duty_v1::POWER_TYPE_CONFIRMATION
                               : duty_v1::POWER_TYPE_OTHER;
    const int domain_index = rng.Between(0, static_cast<int>(dept.domains.size()) - 1);
    const std::string& domain = dept.domains[domain_index];
    const std::string law = rng.Pick(Laws());
    p.set_code(absl::StrFormat("%03d%02d%05d", (org - 1) % kDepartmentsPerCounty + 1,
                               static_cast<int>(type), n));
    switch (type) {
      case duty_v1::POWER_TYPE_PENALTY:
        p.set_item_name(absl::StrCat("对违反《", law, "》", domain, "管理规定行为的行政处罚"));
        break;
      case duty_v1::POWER_TYPE_INSPECTION:
        p.set_item_name(absl::StrCat("对", domain, "活动的监督检查"));
        break;
      case duty_v1::POWER_TYPE_LICENSING:
        p.set_item_name(absl::StrCat(domain, "许可"));
        break;
      case duty_v1::POWER_TYPE_COERCION:
        p.set_item_name(absl::StrCat("查封、扣押", domain, "相关场所、设施或者财物"));
        break;
      default:
        p.set_item_name(absl::StrCat(domain, "事项确认"));
    }
    if (rng.Chance(0.2))
      p.set_sub_item_name(absl::StrCat("子项", ChineseNumber(rng.Between(1, 9))));
    p.set_type(type);
    p.set_domain(domain);
    p.add_setting_basis(absl::StrCat("《", law, "》第", ChineseNumber(rng.Between(1, 99)), "条"));
    p.add_implementing_basis(absl::StrCat("《", law, "》第", ChineseNumber(rng.Between(1, 99)),
                                          "条、第", ChineseNumber(rng.Between(1, 99)), "条"));
    p.set_implementing_unit(absl::StrCat(domain, "股"));
    for (const auto& [stage, what] : *stages) {
      auto* s = p.add_stages();
      s->set_stage(stage);
      s->set_duty(what);
    }
    p.add_accountability_cases("对符合条件的不予受理、不予办理，或者对不符合条件的予以办理的");
    p.add_accountability_cases("不依法履行调查、告知、听证等法定程序的");
    p.add_accountability_cases("滥用职权、玩忽职守、徇私舞弊、索贿受贿的");
    p.set_required_officers(rng.Chance(0.15) ? 3 : 0);
    p.set_needs_legal_review(type == duty_v1::POWER_TYPE_PENALTY ||
                             type == duty_v1::POWER_TYPE_COERCION);
    // Some powers belong to the post that covers their domain.
    const int post = domain_index + 1;
    if (post <= shape.posts && rng.Chance(0.2))
      p.set_post(absl::StrFormat("%s/posts/zf%d", OrgName(org), post));
    p.set_external_id(absl::StrFormat("%s-qz-%05d", slug, n));
    powers.push_back(std::move(p));
  }
  return powers;
}

std::vector<duty_v1::Officer> MakeOfficers(const ProvinceShape& shape, int org) {
  const std::vector<Person> roster = Roster(shape, org);
  const Department& dept = DepartmentOf(org);
  const std::string slug = OrgSlug(org);
  std::vector<duty_v1::Officer> officers;
  for (int n = 1; n <= shape.officers; ++n) {
    Rng rng = Rng::Of(shape.seed, org, n, kOfficerStream);
    const Person& person = roster[n];  // the head (0) is not an officer
    duty_v1::Officer o;
    o.set_person_id(person.person_id);
    o.set_display_name(person.name);
    if (rng.Chance(0.92)) {
      auto* c = o.mutable_certificate();
      c->set_number(absl::StrFormat("%s%05d%03d", Division(org), org % 100000, n));
      const absl::CivilDay issued =
          DayOfYear(shape.last_year - rng.Between(1, 7), rng.Between(0, 360));
      *c->mutable_issued_date() = ToDate(issued);
      *c->mutable_expiry_date() = ToDate(absl::CivilDay(issued.year() + 5, issued.month(), 1) - 1);
      const int s = rng.Between(0, 99);
      c->set_status(s < 95   ? duty_v1::CERTIFICATE_STATUS_VALID
                    : s < 98 ? duty_v1::CERTIFICATE_STATUS_SUSPENDED
                             : duty_v1::CERTIFICATE_STATUS_REVOKED);
    }
    // Two domains each at least, so most powers find their two officers.
    const int domains = static_cast<int>(dept.domains.size());
    for (int d : Sample(rng, domains, std::min(domains, rng.Between(2, 3))))
      o.add_domains(dept.domains[d]);
    o.set_legal_qualification(rng.Chance(0.2));
    for (int year = shape.first_year(); year <= shape.last_year; ++year) {
      if (!rng.Chance(0.85)) continue;
      auto* t = o.add_training();
      t->set_year(year);
      t->set_hours(rng.Between(20, 90));
    }
    o.set_max_load(rng.Chance(0.5) ? 0 : rng.Between(10, 30));
    o.set_established(rng.Chance(0.92));
    if (o.established() && shape.posts > 0 && rng.Chance(0.4)) {
      o.set_post(absl::StrFormat("%s/posts/zf%d", OrgName(org), rng.Between(1, shape.posts)));
    }
    o.set_external_id(absl::StrFormat("%s-zfry-%04d", slug, n));
    officers.push_back(std::move(o));
  }
  return officers;
}

}  // namespace fazhi::bench
