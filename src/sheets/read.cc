// from_xlsx: the zip archive is read from memory through minizip's file
// function table, and each XML part is parsed with expat. Every size that
// comes from the file is checked against ReadLimits before it is trusted.
#include <expat.h>
#include <minizip/unzip.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <system_error>

#include "sheets/sheets.h"

namespace coproduce::sheets {
namespace {

constexpr std::size_t kMaxRows = 1'048'576;
constexpr std::size_t kMaxColumns = 16'384;
constexpr char kNamespaceSeparator = '\x01';

// ---- the zip archive, from memory ----

struct MemoryStream {
  std::string_view data;
  std::uint64_t pos = 0;
};

voidpf ZCALLBACK memory_open(voidpf opaque, const void*, int) {
  return new MemoryStream{*static_cast<std::string_view*>(opaque)};
}

uLong ZCALLBACK memory_read(voidpf, voidpf stream, void* buf, uLong size) {
  auto* s = static_cast<MemoryStream*>(stream);
  if (s->pos >= s->data.size()) return 0;
  std::uint64_t n = std::min<std::uint64_t>(size, s->data.size() - s->pos);
  std::memcpy(buf, s->data.data() + s->pos, static_cast<std::size_t>(n));
  s->pos += n;
  return static_cast<uLong>(n);
}

uLong ZCALLBACK memory_write(voidpf, voidpf, const void*, uLong) { return 0; }

ZPOS64_T ZCALLBACK memory_tell(voidpf, voidpf stream) { return static_cast<MemoryStream*>(stream)->pos; }

long ZCALLBACK memory_seek(voidpf, voidpf stream, ZPOS64_T offset, int origin) {
  auto* s = static_cast<MemoryStream*>(stream);
  std::uint64_t base = 0;
  switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET: base = 0; break;
    case ZLIB_FILEFUNC_SEEK_CUR: base = s->pos; break;
    case ZLIB_FILEFUNC_SEEK_END: base = s->data.size(); break;
    default: return -1;
  }
  if (offset > s->data.size() || base + offset > s->data.size()) return -1;
  s->pos = base + offset;
  return 0;
}

int ZCALLBACK memory_close(voidpf, voidpf stream) {
  delete static_cast<MemoryStream*>(stream);
  return 0;
}

int ZCALLBACK memory_error(voidpf, voidpf) { return 0; }

// An open archive; the bytes must outlive it.
class Zip {
 public:
  Zip(const Zip&) = delete;
  Zip& operator=(const Zip&) = delete;
  ~Zip() {
    if (zip_) unzClose(zip_);
  }

  static std::unique_ptr<Zip> open(std::string_view bytes) {
    auto zip = std::unique_ptr<Zip>(new Zip(bytes));
    zlib_filefunc64_def functions{};
    functions.zopen64_file = memory_open;
    functions.zread_file = memory_read;
    functions.zwrite_file = memory_write;
    functions.ztell64_file = memory_tell;
    functions.zseek64_file = memory_seek;
    functions.zclose_file = memory_close;
    functions.zerror_file = memory_error;
    functions.opaque = &zip->bytes_;
    zip->zip_ = unzOpen2_64("memory", &functions);
    if (!zip->zip_) return nullptr;
    return zip;
  }

  std::uint64_t entries() const {
    unz_global_info64 info{};
    return unzGetGlobalInfo64(zip_, &info) == UNZ_OK ? info.number_entry : 0;
  }

  bool has(const std::string& name) { return unzLocateFile(zip_, name.c_str(), 2) == UNZ_OK; }

  // The part's bytes; an error message (without the file name) when it is
  // missing, damaged or bigger than `limit` once uncompressed.
  std::optional<std::string> read(const std::string& name, std::size_t limit, std::string& error) {
    if (unzLocateFile(zip_, name.c_str(), 2) != UNZ_OK) {
      error = "the part " + name + " is missing";
      return std::nullopt;
    }
    unz_file_info64 info{};
    if (unzGetCurrentFileInfo64(zip_, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) {
      error = "the part " + name + " cannot be read: the zip archive is damaged";
      return std::nullopt;
    }
    const std::string too_big = "the part " + name + " is larger than " + std::to_string(limit >> 20) +
                                " MiB uncompressed, more than this reader accepts";
    if (info.uncompressed_size > limit) {
      error = too_big;
      return std::nullopt;
    }
    if (unzOpenCurrentFile(zip_) != UNZ_OK) {
      error = "the part " + name + " cannot be opened (damaged or encrypted)";
      return std::nullopt;
    }
    std::string out;
    char buffer[64 * 1024];
    int n;
    // The declared size may lie, so the limit is enforced on what inflates.
    while ((n = unzReadCurrentFile(zip_, buffer, sizeof buffer)) > 0) {
      if (out.size() + static_cast<std::size_t>(n) > limit) {
        unzCloseCurrentFile(zip_);
        error = too_big;
        return std::nullopt;
      }
      out.append(buffer, static_cast<std::size_t>(n));
    }
    int closed = unzCloseCurrentFile(zip_);
    if (n < 0 || closed != UNZ_OK) {
      error = "the part " + name + " is damaged (it does not decompress cleanly)";
      return std::nullopt;
    }
    return out;
  }

 private:
  explicit Zip(std::string_view bytes) : bytes_(bytes) {}
  std::string_view bytes_;
  unzFile zip_ = nullptr;
};

// ---- XML ----

std::string_view local_name(const char* name) {
  std::string_view s(name);
  std::size_t sep = s.rfind(kNamespaceSeparator);
  return sep == std::string_view::npos ? s : s.substr(sep + 1);
}

const char* attribute(const char** attrs, std::string_view name) {
  for (int i = 0; attrs[i]; i += 2) {
    if (local_name(attrs[i]) == name) return attrs[i + 1];
  }
  return nullptr;
}

// What a part's parser does with each element. Setting `error` stops the
// parse; the message then says what was wrong (and where, if it can).
class XmlReader {
 public:
  virtual ~XmlReader() = default;
  virtual void start(std::string_view name, const char** attrs) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(std::string_view) {}
  std::string error;
};

// Parses `xml` into `reader`. On failure returns a message without the file
// name: the reader's own error, or "the XML of <part> is corrupt at line L".
std::optional<std::string> parse_xml(const std::string& xml, const std::string& part, XmlReader& reader) {
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(
      XML_ParserCreateNS(nullptr, kNamespaceSeparator), &XML_ParserFree);
  if (!parser) return "out of memory while reading " + part;
  struct Context {
    XML_Parser parser;
    XmlReader* reader;
  } context{parser.get(), &reader};
  XML_SetUserData(parser.get(), &context);
  XML_SetElementHandler(
      parser.get(),
      [](void* data, const XML_Char* name, const XML_Char** attrs) {
        auto* c = static_cast<Context*>(data);
        c->reader->start(local_name(name), attrs);
        if (!c->reader->error.empty()) XML_StopParser(c->parser, XML_FALSE);
      },
      [](void* data, const XML_Char* name) {
        auto* c = static_cast<Context*>(data);
        c->reader->end(local_name(name));
        if (!c->reader->error.empty()) XML_StopParser(c->parser, XML_FALSE);
      });
  XML_SetCharacterDataHandler(parser.get(), [](void* data, const XML_Char* s, int len) {
    static_cast<Context*>(data)->reader->text(std::string_view(s, static_cast<std::size_t>(len)));
  });
  // A spreadsheet never declares a DTD; refusing one rules out entity tricks.
  XML_SetStartDoctypeDeclHandler(parser.get(), [](void* data, const XML_Char*, const XML_Char*, const XML_Char*,
                                                  int) {
    auto* c = static_cast<Context*>(data);
    c->reader->error = "the part has a document type declaration, which a spreadsheet never has";
    XML_StopParser(c->parser, XML_FALSE);
  });

  // Fed in slices so that sizes above INT_MAX are never passed as an int.
  constexpr std::size_t kSlice = 1 << 20;
  std::size_t offset = 0;
  XML_Status status = XML_STATUS_OK;
  do {
    std::size_t n = std::min(kSlice, xml.size() - offset);
    bool last = offset + n == xml.size();
    status = XML_Parse(parser.get(), xml.data() + offset, static_cast<int>(n), last ? XML_TRUE : XML_FALSE);
    offset += n;
  } while (status == XML_STATUS_OK && offset < xml.size());
  if (!reader.error.empty()) return reader.error;
  if (status != XML_STATUS_OK) {
    return "the XML of " + part + " is corrupt at line " +
           std::to_string(XML_GetCurrentLineNumber(parser.get())) + ", column " +
           std::to_string(XML_GetCurrentColumnNumber(parser.get()) + 1) + ": " +
           XML_ErrorString(XML_GetErrorCode(parser.get()));
  }
  return std::nullopt;
}

// Undoes the _xHHHH_ escape that spreadsheets use for characters XML
// cannot hold.
std::string unescape_text(std::string s) {
  if (s.find("_x") == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned value = 0;
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
      auto [end, ec] = std::from_chars(s.data() + i + 2, s.data() + i + 6, value, 16);
      if (ec == std::errc() && end == s.data() + i + 6) {
        if (value >= 0xD800 && value <= 0xDFFF) value = 0xFFFD;
        if (value < 0x80) {
          out += static_cast<char>(value);
        } else if (value < 0x800) {
          out += static_cast<char>(0xC0 | (value >> 6));
          out += static_cast<char>(0x80 | (value & 0x3F));
        } else {
          out += static_cast<char>(0xE0 | (value >> 12));
          out += static_cast<char>(0x80 | ((value >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (value & 0x3F));
        }
        i += 6;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// ---- package relationships ----

// "xl/worksheets/../x.xml" -> "xl/x.xml"; a leading "/" means the package root.
std::string resolve(const std::string& base_dir, const std::string& target) {
  std::string joined = !target.empty() && target[0] == '/' ? target.substr(1) : base_dir + target;
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t slash = joined.find('/', start);
    if (slash == std::string::npos) slash = joined.size();
    std::string part = joined.substr(start, slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

struct Relationship {
  std::string type;    // the last segment of the type URI: "worksheet", "sharedStrings"
  std::string target;  // resolved to a path inside the archive
};

class RelationshipsReader : public XmlReader {
 public:
  explicit RelationshipsReader(std::string base_dir) : base_dir_(std::move(base_dir)) {}
  void start(std::string_view name, const char** attrs) override {
    if (name != "Relationship") return;
    const char* id = attribute(attrs, "Id");
    const char* type = attribute(attrs, "Type");
    const char* target = attribute(attrs, "Target");
    const char* mode = attribute(attrs, "TargetMode");
    if (!id || !type || !target || (mode && std::string_view(mode) == "External")) return;
    std::string t = type;
    relationships[id] = {t.substr(t.rfind('/') + 1), resolve(base_dir_, target)};
  }
  void end(std::string_view) override {}
  std::map<std::string, Relationship> relationships;

 private:
  std::string base_dir_;
};

struct SheetEntry {
  std::string name;
  std::string relationship;
};

class WorkbookReader : public XmlReader {
 public:
  void start(std::string_view name, const char** attrs) override {
    if (name != "sheet") return;
    const char* sheet_name = attribute(attrs, "name");
    const char* id = attribute(attrs, "id");  // r:id
    if (!sheet_name || !id) {
      error = "the workbook lists a sheet without a name or a relationship id";
      return;
    }
    sheets.push_back({sheet_name, id});
  }
  void end(std::string_view) override {}
  std::vector<SheetEntry> sheets;
};

class SharedStringsReader : public XmlReader {
 public:
  explicit SharedStringsReader(std::size_t max_strings) : max_strings_(max_strings) {}
  void start(std::string_view name, const char**) override {
    if (name == "si") {
      if (strings.size() >= max_strings_) {
        error = "the shared strings hold more than " + std::to_string(max_strings_) + " entries";
        return;
      }
      in_si_ = true;
      current_.clear();
    } else if (name == "rPh") {
      ++phonetic_depth_;
    } else if (name == "t" && in_si_) {
      in_t_ = true;
    }
  }
  void end(std::string_view name) override {
    if (name == "si") {
      strings.push_back(unescape_text(std::move(current_)));
      current_.clear();
      in_si_ = false;
    } else if (name == "rPh") {
      --phonetic_depth_;
    } else if (name == "t") {
      in_t_ = false;
    }
  }
  void text(std::string_view s) override {
    // Phonetic guides (rPh) are reading aids, not part of the text.
    if (in_si_ && in_t_ && phonetic_depth_ == 0) current_.append(s);
  }
  std::vector<std::string> strings;

 private:
  std::size_t max_strings_;
  bool in_si_ = false;
  bool in_t_ = false;
  int phonetic_depth_ = 0;
  std::string current_;
};

// ---- worksheets ----

struct PlacedCell {
  std::size_t row;
  std::size_t column;
  Cell cell;
};

// "B7" -> column 1, row 6 (both from 0); false when it is not a cell reference.
bool parse_reference(std::string_view ref, std::size_t& row, std::size_t& column) {
  std::size_t i = 0;
  std::size_t col = 0;
  while (i < ref.size() && i < 4 && std::isupper(static_cast<unsigned char>(ref[i]))) {
    col = col * 26 + static_cast<std::size_t>(ref[i] - 'A' + 1);
    ++i;
  }
  if (i == 0 || col > kMaxColumns) return false;
  std::size_t r = 0;
  auto [end, ec] = std::from_chars(ref.data() + i, ref.data() + ref.size(), r);
  if (ec != std::errc() || end != ref.data() + ref.size() || r == 0 || r > kMaxRows) return false;
  row = r - 1;
  column = col - 1;
  return true;
}

// A number as the spreadsheet stores it: kInteger when whole and exact.
std::optional<Cell> parse_number(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  constexpr double kExact = 9007199254740992.0;  // 2^53
  if (std::trunc(v) == v && std::fabs(v) <= kExact) return Cell::whole(static_cast<std::int64_t>(v));
  return Cell::real(v);
}

std::string trim(std::string_view s) {
  std::size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string_view::npos) return "";
  std::size_t b = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(a, b - a + 1));
}

class WorksheetReader : public XmlReader {
 public:
  // Accepts up to `room` cells with a value; `limit` is the workbook's
  // whole allowance, for the message.
  WorksheetReader(const std::vector<std::string>& shared, std::size_t room, std::size_t limit)
      : shared_(shared), room_(room), limit_(limit) {}

  void start(std::string_view name, const char** attrs) override {
    if (name == "sheetData") {
      in_data_ = true;
    } else if (!in_data_) {
      return;
    } else if (name == "row") {
      const char* r = attribute(attrs, "r");
      if (r) {
        std::size_t n = 0;
        std::string_view sv(r);
        auto [end, ec] = std::from_chars(sv.data(), sv.data() + sv.size(), n);
        if (ec != std::errc() || end != sv.data() + sv.size() || n == 0 || n > kMaxRows) {
          error = "a row has the number '" + std::string(sv) + "', which is not a row of a spreadsheet";
          return;
        }
        row_ = n - 1;
      } else {
        row_ = started_row_ ? row_ + 1 : 0;
      }
      started_row_ = true;
      column_ = 0;
      started_column_ = false;
    } else if (name == "c") {
      const char* r = attribute(attrs, "r");
      if (r) {
        std::size_t row = 0;
        if (!parse_reference(r, row, column_)) {
          error = "a cell has the reference '" + std::string(r) + "', which is not a cell of a spreadsheet";
          return;
        }
        row_ = row;
      } else {
        column_ = started_column_ ? column_ + 1 : 0;
        if (column_ >= kMaxColumns) {
          error = "row " + std::to_string(row_ + 1) + " has more than 16,384 cells";
          return;
        }
      }
      started_column_ = true;
      const char* t = attribute(attrs, "t");
      type_ = t ? t : "n";
      in_cell_ = true;
      value_.clear();
      inline_.clear();
    } else if (in_cell_ && name == "v") {
      in_v_ = true;
    } else if (in_cell_ && name == "is") {
      in_is_ = true;
    } else if (in_is_ && name == "rPh") {
      ++phonetic_depth_;
    } else if (in_is_ && name == "t") {
      in_t_ = true;
    }
  }

  void end(std::string_view name) override {
    if (name == "sheetData") {
      in_data_ = false;
    } else if (name == "v") {
      in_v_ = false;
    } else if (name == "is") {
      in_is_ = false;
    } else if (name == "rPh") {
      if (phonetic_depth_ > 0) --phonetic_depth_;
    } else if (name == "t") {
      in_t_ = false;
    } else if (name == "c" && in_cell_) {
      in_cell_ = false;
      finish_cell();
    }
  }

  void text(std::string_view s) override {
    if (in_v_) value_.append(s);
    if (in_is_ && in_t_ && phonetic_depth_ == 0) inline_.append(s);
  }

  std::vector<PlacedCell> cells;

 private:
  void fail_at_cell(const std::string& message) {
    error = "cell " + column_letters(column_) + std::to_string(row_ + 1) + ": " + message;
  }

  void finish_cell() {
    std::optional<Cell> cell;
    if (type_ == "inlineStr") {
      if (!inline_.empty()) cell = Cell::of(unescape_text(std::move(inline_)));
    } else if (type_ == "s") {
      std::string v = trim(value_);
      std::size_t index = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), index);
      if (ec != std::errc() || end != v.data() + v.size()) {
        return fail_at_cell("the shared string number '" + v + "' is not a number");
      }
      if (index >= shared_.size()) {
        return fail_at_cell("refers to shared string " + std::to_string(index) + " but the file has only " +
                            std::to_string(shared_.size()));
      }
      if (!shared_[index].empty()) cell = Cell::of(shared_[index]);
    } else if (type_ == "str" || type_ == "e" || type_ == "d") {
      if (!value_.empty()) cell = Cell::of(unescape_text(std::move(value_)));
    } else if (type_ == "b") {
      std::string v = trim(value_);
      if (v == "1" || v == "true") {
        cell = Cell::of("TRUE");
      } else if (v == "0" || v == "false") {
        cell = Cell::of("FALSE");
      } else if (!v.empty()) {
        return fail_at_cell("the true-or-false value '" + v + "' is neither 1 nor 0");
      }
    } else if (type_ == "n") {
      std::string v = trim(value_);
      if (!v.empty()) {
        cell = parse_number(v);
        if (!cell) return fail_at_cell("the number '" + v + "' is not a number");
      }
    } else {
      return fail_at_cell("unknown cell type '" + type_ + "'");
    }
    if (!cell) return;
    if (cells.size() >= room_) {
      error = "the workbook holds more than the " + std::to_string(limit_) + " cells this reader accepts";
      return;
    }
    cells.push_back({row_, column_, std::move(*cell)});
  }

  const std::vector<std::string>& shared_;
  std::size_t room_;
  std::size_t limit_;
  bool in_data_ = false;
  bool started_row_ = false;
  bool started_column_ = false;
  std::size_t row_ = 0;
  std::size_t column_ = 0;
  bool in_cell_ = false;
  bool in_v_ = false;
  bool in_is_ = false;
  bool in_t_ = false;
  int phonetic_depth_ = 0;
  std::string type_;
  std::string value_;
  std::string inline_;
};

std::string directory_of(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

std::string file_of(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool starts_with_bytes(std::string_view bytes, std::string_view prefix) {
  return bytes.size() >= prefix.size() && bytes.substr(0, prefix.size()) == prefix;
}

}  // namespace

StatusOr<std::vector<Sheet>> from_xlsx(std::string_view bytes, const std::string& file_name) {
  return from_xlsx(bytes, file_name, ReadLimits{});
}

StatusOr<std::vector<Sheet>> from_xlsx(std::string_view bytes, const std::string& file_name,
                                       const ReadLimits& limits) {
  Location where;
  where.file = file_name;
  auto fail = [&where](const std::string& message) { return InvalidInput(message, where); };
  auto fail_in_sheet = [&where](const std::string& sheet, const std::string& message) {
    return InvalidInput("sheet '" + sheet + "', " + message, where);
  };

  if (bytes.empty()) return fail("the file is empty");
  std::unique_ptr<Zip> zip = Zip::open(bytes);
  if (!zip) {
    if (starts_with_bytes(bytes, "\xD0\xCF\x11\xE0")) {
      return fail("this is an older Excel file (.xls); save it as an Excel workbook (.xlsx) and try again");
    }
    return fail("not an .xlsx file: it is not a zip archive, or the archive is damaged or cut short");
  }
  if (zip->entries() > limits.max_zip_entries) {
    return fail("the archive holds " + std::to_string(zip->entries()) + " parts, more than the " +
                std::to_string(limits.max_zip_entries) + " this reader accepts");
  }

  std::string error;
  auto read_xml = [&](const std::string& part, XmlReader& reader) -> std::optional<std::string> {
    std::optional<std::string> xml = zip->read(part, limits.max_part_bytes, error);
    if (!xml) return error;
    return parse_xml(*xml, part, reader);
  };

  // The package's root relationships name the workbook part; xl/workbook.xml
  // is the usual place when there are none.
  std::string workbook_part = "xl/workbook.xml";
  if (zip->has("_rels/.rels")) {
    RelationshipsReader root("");
    if (auto e = read_xml("_rels/.rels", root)) return fail(*e);
    for (const auto& [id, rel] : root.relationships) {
      if (rel.type == "officeDocument") workbook_part = rel.target;
    }
  }
  if (!zip->has(workbook_part)) {
    return fail("not a spreadsheet: the archive has no workbook (" + workbook_part + ")");
  }
  WorkbookReader workbook;
  if (auto e = read_xml(workbook_part, workbook)) return fail(*e);

  const std::string base = directory_of(workbook_part);
  const std::string rels_part = base + "_rels/" + file_of(workbook_part) + ".rels";
  RelationshipsReader rels(base);
  if (!zip->has(rels_part)) return fail("not a spreadsheet: the archive has no " + rels_part);
  if (auto e = read_xml(rels_part, rels)) return fail(*e);

  std::vector<std::string> shared;
  for (const auto& [id, rel] : rels.relationships) {
    if (rel.type != "sharedStrings") continue;
    SharedStringsReader strings(limits.max_cells);
    if (auto e = read_xml(rel.target, strings)) return fail(*e);
    shared = std::move(strings.strings);
  }

  std::vector<Sheet> sheets;
  std::size_t cells_used = 0;
  for (const SheetEntry& entry : workbook.sheets) {
    Sheet sheet;
    sheet.name = entry.name;
    auto rel = rels.relationships.find(entry.relationship);
    if (rel == rels.relationships.end()) {
      return fail_in_sheet(entry.name, "the workbook lists it but does not say where it is stored");
    }
    // Chart sheets and other kinds hold no cells: they come back empty.
    if (rel->second.type != "worksheet") {
      sheets.push_back(std::move(sheet));
      continue;
    }
    WorksheetReader reader(shared, limits.max_cells - cells_used, limits.max_cells);
    if (auto e = read_xml(rel->second.target, reader)) return fail_in_sheet(entry.name, *e);

    std::size_t height = 0;
    std::size_t width = 0;
    for (const PlacedCell& placed : reader.cells) {
      height = std::max(height, placed.row + 1);
      width = std::max(width, placed.column + 1);
    }
    // Padding to a rectangle counts too: a cell at XFD1048576 alone would
    // otherwise ask for seventeen billion empty cells.
    if (height != 0 && width > (limits.max_cells - cells_used) / height) {
      return fail_in_sheet(entry.name, "it spans " + std::to_string(height) + " rows and " + std::to_string(width) +
                                           " columns, more than the " + std::to_string(limits.max_cells) +
                                           " cells this reader accepts");
    }
    cells_used += height * width;
    sheet.rows.assign(height, std::vector<Cell>(width));
    for (PlacedCell& placed : reader.cells) sheet.rows[placed.row][placed.column] = std::move(placed.cell);
    sheets.push_back(std::move(sheet));
  }
  if (sheets.empty()) return fail("the workbook has no sheets");
  return sheets;
}

}  // namespace coproduce::sheets
