#include "selection/input.h"

#include <charconv>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>

namespace coproduce::selection {

namespace {

// A whole number >= 0 written in the field; spaces around are allowed, and
// so is a trailing ".0" that spreadsheets like to add.
std::optional<int> parse_count(std::string_view text) {
  text = csv::trim(text);
  if (text.size() > 2 && text.substr(text.size() - 2) == ".0") text.remove_suffix(2);
  if (text.empty()) return std::nullopt;
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

std::string list_values(const Category& c) {
  std::string out;
  for (size_t i = 0; i < c.values.size(); ++i) {
    if (i > 0) out += ", ";
    out += c.values[i].value;
  }
  return out;
}

}  // namespace

StatusOr<std::vector<Category>> parse_quotas(const csv::Table& table) {
  std::optional<size_t> cat_col;
  std::optional<size_t> val_col;
  if (auto v = table.column("value")) {
    val_col = v;
    cat_col = table.column("feature");
    if (!cat_col) cat_col = table.column("category");
  } else if (auto c = table.column("category")) {
    cat_col = c;
    val_col = table.column("name");
    if (!val_col) val_col = table.column("feature");
  }
  auto header_error = [&](const std::string& message) {
    Location loc;
    loc.file = table.file_name;
    loc.line = 1;
    return InvalidInput(message, loc);
  };
  if (!cat_col || !val_col) {
    return header_error(
        "the quotas file needs columns feature,value,min,max (or category,name,min,max or "
        "category,feature,min,max)");
  }
  auto min_col = table.column("min");
  auto max_col = table.column("max");
  if (!min_col) return header_error("the quotas file has no 'min' column");
  if (!max_col) return header_error("the quotas file has no 'max' column");
  auto min_flex_col = table.column("min_flex");
  auto max_flex_col = table.column("max_flex");

  std::vector<Category> categories;
  std::map<std::string, size_t> category_index;
  std::map<std::pair<size_t, std::string>, long> seen_value;
  for (const auto& row : table.rows) {
    const std::string cat_name(csv::trim(row.fields[*cat_col]));
    const std::string value(csv::trim(row.fields[*val_col]));
    if (cat_name.empty()) return InvalidInput("the category is blank", table.where(row, *cat_col));
    if (value.empty()) return InvalidInput("the value is blank", table.where(row, *val_col));
    Quota q;
    q.value = value;
    q.line = row.line;
    auto read = [&](size_t col, const char* what, int* out) -> Status {
      auto v = parse_count(row.fields[col]);
      if (!v) {
        return InvalidInput(std::string(what) + " must be a whole number, 0 or more (found '" + row.fields[col] + "')",
                            table.where(row, col));
      }
      *out = *v;
      return Status::Ok();
    };
    if (Status s = read(*min_col, "min", &q.min); !s.ok()) return s;
    if (Status s = read(*max_col, "max", &q.max); !s.ok()) return s;
    if (q.min > q.max) {
      return InvalidInput("min (" + std::to_string(q.min) + ") is above max (" + std::to_string(q.max) + ")",
                          table.where(row, *min_col));
    }
    q.min_flex = q.min;
    q.max_flex = q.max;
    if (min_flex_col && max_flex_col && !csv::trim(row.fields[*min_flex_col]).empty() &&
        !csv::trim(row.fields[*max_flex_col]).empty()) {
      if (Status s = read(*min_flex_col, "min_flex", &q.min_flex); !s.ok()) return s;
      if (Status s = read(*max_flex_col, "max_flex", &q.max_flex); !s.ok()) return s;
      if (q.min_flex > q.min) {
        return InvalidInput("min_flex (" + std::to_string(q.min_flex) + ") is above min (" + std::to_string(q.min) + ")",
                            table.where(row, *min_flex_col));
      }
      if (q.max_flex < q.max) {
        return InvalidInput("max_flex (" + std::to_string(q.max_flex) + ") is below max (" + std::to_string(q.max) + ")",
                            table.where(row, *max_flex_col));
      }
      q.has_flex = true;
    }
    const std::string key = csv::normalise_key(cat_name);
    auto [it, inserted] = category_index.emplace(key, categories.size());
    if (inserted) {
      Category c;
      c.name = cat_name;
      categories.push_back(c);
    }
    auto [seen, fresh] = seen_value.emplace(std::make_pair(it->second, csv::normalise_key(value)), row.line);
    if (!fresh) {
      return InvalidInput("'" + value + "' appears twice in category '" + cat_name + "' (first on line " +
                              std::to_string(seen->second) + ")",
                          table.where(row, *val_col));
    }
    categories[it->second].values.push_back(q);
  }
  if (categories.empty()) return header_error("the quotas file has no quota rows");
  return categories;
}

StatusOr<Pool> build_pool(csv::Table people, std::vector<Category> categories, const PoolOptions& options) {
  Pool pool;
  pool.table = std::move(people);
  const csv::Table& t = pool.table;
  Problem& problem = pool.problem;
  problem.panel_size = options.panel_size;
  problem.categories = std::move(categories);
  auto file_error = [&](const std::string& message, long line = 0, long column = 0) {
    Location loc;
    loc.file = t.file_name;
    loc.line = line;
    loc.column = column;
    return InvalidInput(message, loc);
  };
  if (options.panel_size <= 0) return InvalidInput("the panel size must be 1 or more");
  if (t.rows.empty()) return file_error("the people file has no rows");
  if (static_cast<size_t>(options.panel_size) > t.rows.size()) {
    return file_error("the panel size (" + std::to_string(options.panel_size) + ") is larger than the pool (" +
                      std::to_string(t.rows.size()) + " people)");
  }

  std::optional<size_t> id_col;
  if (!options.id_column.empty()) {
    id_col = t.column(options.id_column);
    if (!id_col) return file_error("there is no id column called '" + options.id_column + "'", 1);
  }
  pool.id_column = id_col;
  for (const auto& cat : problem.categories) {
    auto col = t.column(cat.name);
    if (!col) {
      return file_error("there is no column for the category '" + cat.name + "' of the quotas file (line " +
                            std::to_string(cat.values.front().line) + ")",
                        1);
    }
    pool.category_column.push_back(*col);
  }
  std::vector<size_t> household_cols;
  for (const auto& name : options.household_columns) {
    auto col = t.column(name);
    if (!col) return file_error("there is no address column called '" + name + "' for the household rule", 1);
    household_cols.push_back(*col);
  }
  problem.household_rule = !household_cols.empty();

  // Value lookup per category.
  std::vector<std::unordered_map<std::string, int>> lookup(problem.categories.size());
  for (size_t c = 0; c < problem.categories.size(); ++c) {
    for (size_t v = 0; v < problem.categories[c].values.size(); ++v) {
      lookup[c][csv::normalise_key(problem.categories[c].values[v].value)] = static_cast<int>(v);
    }
  }
  std::unordered_map<std::string, long> id_line;
  std::unordered_map<std::string, int> household_id;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    std::string id = id_col ? std::string(csv::trim(row.fields[*id_col])) : std::to_string(r + 1);
    if (id.empty()) return InvalidInput("the id is blank", t.where(row, *id_col));
    auto [seen, fresh] = id_line.emplace(id, row.line);
    if (!fresh) {
      return InvalidInput("the id '" + id + "' is used twice (first on line " + std::to_string(seen->second) + ")",
                          t.where(row, id_col ? *id_col : 0));
    }
    Person person;
    for (size_t c = 0; c < problem.categories.size(); ++c) {
      const std::string& raw = row.fields[pool.category_column[c]];
      auto it = lookup[c].find(csv::normalise_key(raw));
      if (it == lookup[c].end()) {
        return InvalidInput("'" + raw + "' is not a value of '" + problem.categories[c].name +
                                "' in the quotas file (it lists: " + list_values(problem.categories[c]) + ")",
                            t.where(row, pool.category_column[c]));
      }
      person.values.push_back(it->second);
    }
    if (!household_cols.empty()) {
      std::string address;
      bool blank = true;
      for (size_t col : household_cols) {
        std::string part = csv::normalise_key(row.fields[col]);
        if (!part.empty()) blank = false;
        address += part;
        address.push_back('\x1f');
      }
      // No address at all: nobody to share a household with.
      if (!blank) {
        auto [h, unused] = household_id.emplace(address, static_cast<int>(household_id.size()));
        person.household = h->second;
      }
    }
    problem.people.push_back(std::move(person));
    pool.ids.push_back(std::move(id));
  }
  return pool;
}

Status mark_already_selected(Pool& pool, const csv::Table& already, const std::string& id_column) {
  std::optional<size_t> col;
  if (!id_column.empty()) col = already.column(id_column);
  if (!col) {
    if (already.header.empty()) return InvalidInput("the already-selected file has no columns");
    col = 0;
  }
  std::unordered_map<std::string, int> index;
  for (size_t i = 0; i < pool.ids.size(); ++i) index[pool.ids[i]] = static_cast<int>(i);
  std::unordered_map<int, long> household_line;
  std::unordered_map<std::string, long> seen_line;
  int count = 0;
  for (const auto& row : already.rows) {
    std::string id(csv::trim(row.fields[*col]));
    if (id.empty()) continue;
    auto it = index.find(id);
    if (it == index.end()) {
      return InvalidInput("'" + id + "' is not an id in the people file", already.where(row, *col));
    }
    if (auto [s, fresh] = seen_line.emplace(id, row.line); !fresh) {
      return InvalidInput("'" + id + "' is listed twice (first on line " + std::to_string(s->second) + ")",
                          already.where(row, *col));
    }
    Person& person = pool.problem.people[static_cast<size_t>(it->second)];
    if (pool.problem.household_rule && person.household >= 0) {
      auto [h, fresh] = household_line.emplace(person.household, row.line);
      if (!fresh) {
        return InvalidInput("'" + id + "' shares a household with the person on line " + std::to_string(h->second) +
                                ", and the household rule allows one per household",
                            already.where(row, *col));
      }
    }
    person.already_selected = true;
    ++count;
  }
  if (count > pool.problem.panel_size) {
    Location loc;
    loc.file = already.file_name;
    return InvalidInput("it lists " + std::to_string(count) + " people but the panel size is " +
                            std::to_string(pool.problem.panel_size),
                        loc);
  }
  return Status::Ok();
}

}  // namespace coproduce::selection
