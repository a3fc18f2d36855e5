// Writes a 30-question survey definition and N fictional responses in the
// export layout, for the survey analysis benchmark. Deterministic for a seed.
//
//   survey_generate_responses OUT_DIR [ROWS=1000000] [SEED=1]
//
// Produces OUT_DIR/definition.json and OUT_DIR/responses.csv, and for the
// run with a repeat OUT_DIR/definition-repeat.json (the same questions and a
// repeat "services" on page 7: which service, a single choice, and visits a
// month, a number) and OUT_DIR/services.csv, its table: 0 to 4 instances per
// response (1.55 on average, so about 1.5 million rows for a million
// responses). The repeat's answers come from a generator of their own, so
// responses.csv is the same with or without it. The questions
// start with the coproduction template's key codes (group, role, heard,
// knowledge, involved_own_care, involved_services, barriers, meaning), so the
// same cross-tabs work, then add choice, yes/no, rating, multiple-choice,
// number and date questions up to 30, over 6 pages.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace {

struct Q {
  std::string code, type;
  std::vector<std::string> options;
  std::string show_if;
  int page = 1;
};

std::vector<Q> questions() {
  std::vector<Q> qs = {
      {"group", "single", {"lived_experience", "carer", "workforce", "other"}, "", 1},
      {"role", "single", {"direct_care", "supervisor", "registered_manager", "senior_manager", "commissioner", "other_role"},
       "group = 'workforce'", 1},
      {"region", "single", {"north_east", "north_west", "yorkshire", "east_midlands", "west_midlands", "east", "london",
                            "south_east", "south_west"}, "", 1},
      {"age", "number", {}, "", 1},
      {"heard", "single", {"yes", "no", "not_sure"}, "", 2},
      {"knowledge", "single", {"none", "a_little", "some", "in_depth"}, "", 2},
      {"involved_own_care", "single", {"yes", "no", "not_sure"}, "group = 'lived_experience' or group = 'carer'", 2},
      {"involved_services", "single", {"yes", "no", "not_sure"}, "group = 'lived_experience' or group = 'carer'", 2},
      {"barriers", "multiple", {"time", "culture", "cost", "communication", "power", "training", "other"},
       "group = 'workforce'", 3},
      {"training_had", "yes_no", {}, "group = 'workforce'", 3},
      {"confidence", "rating", {}, "", 3},
  };
  const char* kinds[] = {"single", "yes_no", "rating", "multiple"};
  int k = 0;
  while (qs.size() < 28) {
    Q q;
    q.code = "q" + std::to_string(qs.size() + 1);
    q.type = kinds[k++ % 4];
    q.page = 3 + static_cast<int>(qs.size() - 11) / 6 + 1;
    if (q.type == "single" || q.type == "multiple") q.options = {"opt_a", "opt_b", "opt_c", "opt_d", "opt_e"};
    if (q.code == "q16") q.show_if = "selected(barriers, 'time')";
    if (q.code == "q20") q.show_if = "confidence >= 5 and not (heard = 'no')";
    qs.push_back(q);
  }
  qs.push_back({"when", "date", {}, "", 6});
  qs.push_back({"meaning", "long_text", {}, "", 6});
  return qs;
}

std::string json_string(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: survey_generate_responses OUT_DIR [ROWS] [SEED]\n";
    return 2;
  }
  const std::string dir = argv[1];
  const long rows = argc > 2 ? std::atol(argv[2]) : 1000000;
  const unsigned long seed = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 1;
  const std::vector<Q> qs = questions();

  std::ofstream def(dir + "/definition.json");
  def << "{\n  \"format\": \"coproduce-survey/1\",\n  \"id\": \"bench\",\n  \"title\": \"Benchmark survey\",\n"
      << "  \"questions\": [\n";
  for (size_t i = 0; i < qs.size(); ++i) {
    const Q& q = qs[i];
    def << "    {\"code\": " << json_string(q.code) << ", \"type\": " << json_string(q.type) << ", \"page\": " << q.page
        << ", \"text\": " << json_string("Question " + q.code);
    if (!q.options.empty()) {
      def << ", \"options\": [";
      for (size_t o = 0; o < q.options.size(); ++o) def << (o ? ", " : "") << json_string(q.options[o]);
      def << "]";
    }
    if (q.type == "rating") def << ", \"scale\": {\"min\": " << (q.code == "confidence" ? 0 : 1) << ", \"max\": "
                               << (q.code == "confidence" ? 10 : 5) << "}";
    if (!q.show_if.empty()) def << ", \"show_if\": " << json_string(q.show_if);
    def << "}" << (i + 1 < qs.size() ? "," : "") << "\n";
  }
  def << "  ]\n}\n";
  if (!def) {
    std::cerr << "could not write " << dir << "/definition.json\n";
    return 1;
  }
  def.close();
  const std::vector<std::string> services = {"home_care", "day_centre", "respite", "transport", "meals"};
  {
    // The same definition with the repeat's questions and the repeat added.
    std::ifstream in(dir + "/definition.json");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t end = text.rfind("\n  ]\n}");
    std::string added = ",\n    {\"code\": \"service\", \"type\": \"single\", \"page\": 7, \"repeat\": \"services\", "
                        "\"text\": \"Which service?\", \"options\": [";
    for (size_t o = 0; o < services.size(); ++o) added += (o ? ", " : "") + json_string(services[o]);
    added += "]},\n    {\"code\": \"visits\", \"type\": \"number\", \"page\": 7, \"repeat\": \"services\", "
             "\"text\": \"Visits a month\"}";
    text = text.substr(0, end) + added + "\n  ],\n  \"repeats\": [{\"code\": \"services\", \"label\": \"Service you use\", "
           "\"max\": 4}]\n}\n";
    std::ofstream rdef(dir + "/definition-repeat.json");
    rdef << text;
    if (!rdef) {
      std::cerr << "could not write " << dir << "/definition-repeat.json\n";
      return 1;
    }
  }
  std::ofstream rep(dir + "/services.csv", std::ios::binary);
  std::vector<char> rep_buffer(1 << 20);
  rep.rdbuf()->pubsetbuf(rep_buffer.data(), static_cast<std::streamsize>(rep_buffer.size()));
  rep << "response_id,instance,service,visits\n";
  std::mt19937_64 rep_rng(seed + 1000);
  auto rep_uniform = [&](int n) { return static_cast<int>(rep_rng() % static_cast<unsigned long>(n)); };

  std::ofstream out(dir + "/responses.csv", std::ios::binary);
  std::vector<char> buffer(1 << 20);
  out.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  out << "id,started_at,submitted_at,last_page";
  for (const Q& q : qs) {
    if (q.type == "multiple") {
      for (const auto& o : q.options) out << ',' << q.code << '[' << o << ']';
    } else {
      out << ',' << q.code;
    }
  }
  out << "\n";
  std::mt19937_64 rng(seed);
  auto uniform = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned long>(n)); };
  std::string line;
  for (long r = 0; r < rows; ++r) {
    line.clear();
    const bool complete = uniform(100) < 78;
    const int last_page = complete ? 6 : 1 + uniform(6);
    const int minute = uniform(60);
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "2026-03-%02d", 1 + uniform(28));
    line += "r" + std::to_string(r + 1) + ',' + stamp + "T10:" + (minute < 10 ? "0" : "") + std::to_string(minute) +
            ":00,";
    if (complete) line += std::string(stamp) + "T11:00:00";
    line += ',' + std::to_string(last_page);
    int group = -1, heard = -1, confidence = -1;
    bool time_barrier = false;
    for (const Q& q : qs) {
      const bool reached = q.page <= last_page;
      bool shown = reached;
      if (q.show_if == "group = 'workforce'") shown = shown && group == 2;
      else if (!q.show_if.empty() && q.code.rfind("involved", 0) == 0) shown = shown && (group == 0 || group == 1);
      else if (q.code == "q16") shown = shown && time_barrier;
      else if (q.code == "q20") shown = shown && confidence >= 5 && heard != 1;
      const bool answer = shown && uniform(100) < 95;
      if (q.type == "multiple") {
        bool any = false;
        for (size_t o = 0; o < q.options.size(); ++o) {
          const bool tick = answer && (uniform(100) < 30 || (!any && o + 1 == q.options.size()));
          any = any || tick;
          if (q.code == "barriers" && o == 0) time_barrier = tick;
          line += tick ? ",1" : ",";
        }
        continue;
      }
      line += ',';
      if (!answer) continue;
      if (q.type == "single") {
        // Skewed towards the first options, so cross-tabs have structure.
        const int n = static_cast<int>(q.options.size());
        int pick = std::min(uniform(n), uniform(n));
        if (q.code == "heard" && group == 2) pick = uniform(100) < 70 ? 0 : uniform(3);
        line += q.options[static_cast<size_t>(pick)];
        if (q.code == "group") group = pick;
        if (q.code == "heard") heard = pick;
      } else if (q.type == "yes_no") {
        line += uniform(2) ? "yes" : "no";
      } else if (q.type == "rating") {
        const int v = q.code == "confidence" ? uniform(11) : 1 + uniform(5);
        if (q.code == "confidence") confidence = v;
        line += std::to_string(v);
      } else if (q.type == "number") {
        line += std::to_string(18 + uniform(70));
      } else if (q.type == "date") {
        line += "2025-" + std::string(uniform(2) ? "06" : "11") + "-1" + std::to_string(uniform(10));
      } else if (q.type == "long_text") {
        if (uniform(100) < 30) line += "\"Working together, as equals\"";
      }
    }
    line += '\n';
    out << line;
    // Instances: 0 to 4, with chances 25, 30, 20, 15 and 10 in 100.
    const int roll = rep_uniform(100);
    const int count = roll < 25 ? 0 : roll < 55 ? 1 : roll < 75 ? 2 : roll < 90 ? 3 : 4;
    for (int k = 1; k <= count; ++k) {
      const int n = static_cast<int>(services.size());
      rep << 'r' << (r + 1) << ',' << k << ',' << services[static_cast<size_t>(std::min(rep_uniform(n), rep_uniform(n)))]
          << ',';
      if (rep_uniform(100) < 90) rep << 1 + rep_uniform(30);
      rep << '\n';
    }
  }
  out.close();
  rep.close();
  if (!rep) {
    std::cerr << "could not write " << dir << "/services.csv\n";
    return 1;
  }
  if (!out) {
    std::cerr << "could not write " << dir << "/responses.csv\n";
    return 1;
  }
  std::cout << "wrote " << dir << "/definition.json and " << rows << " responses to " << dir << "/responses.csv, "
            << dir << "/definition-repeat.json and the repeat's table " << dir << "/services.csv\n";
  return 0;
}
