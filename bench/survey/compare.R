# The benchmark's analysis in R with data.table, for bench/survey/compare.sh:
# complete responses only; a frequency table for every question (counts of
# each answer, tick counts for each multiple-choice option, mean, median, min
# and max of the number question, answered counts for date and text); the 10
# cross-tabs as counts of (row, column) pairs with Pearson's chi-square.
#
#   Rscript compare.R RESPONSES.csv
suppressMessages(library(data.table))
setDTthreads(2)
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]
header <- names(fread(file, nrows = 0))
skip <- c("id", "started_at", "last_page")
cols <- setdiff(header, skip)
d <- fread(file, select = cols, colClasses = "character", na.strings = "", showProgress = FALSE)
d <- d[!is.na(submitted_at)]
singles <- c("group", "role", "region", "heard", "knowledge", "involved_own_care", "involved_services",
             "training_had", "confidence")
multiples <- unique(sub("\\[.*$", "", grep("\\[", cols, value = TRUE)))
others <- setdiff(cols, c("submitted_at", "age", "when", "meaning", grep("\\[", cols, value = TRUE)))
freq <- list()
for (q in others) freq[[q]] <- d[!is.na(get(q)), .N, by = q]
for (m in multiples) {
  opts <- grep(paste0("^", m, "\\["), cols, value = TRUE)
  freq[[m]] <- sapply(opts, function(o) sum(d[[o]] == "1", na.rm = TRUE))
}
age <- as.numeric(d$age)
age <- age[!is.na(age)]
numbers <- c(mean(age), median(age), min(age), max(age))
answered <- c(sum(!is.na(d$when)), sum(!is.na(d$meaning)))
crosstabs <- list(c("heard", "group"), c("knowledge", "role"), c("barriers", "role"),
                  c("involved_own_care", "involved_services"), c("knowledge", "group"), c("confidence", "group"),
                  c("region", "heard"), c("q12", "group"), c("q15", "heard"), c("training_had", "role"))
tables <- 0
for (ct in crosstabs) {
  rows <- if (ct[1] %in% multiples) grep(paste0("^", ct[1], "\\["), cols, value = TRUE) else ct[1]
  for (r in rows) {
    x <- d[[r]]
    if (ct[1] %in% multiples) {
      # A tick box as ticked / not ticked among those who answered the question.
      any <- Reduce(`|`, lapply(grep(paste0("^", ct[1], "\\["), cols, value = TRUE), function(o) !is.na(d[[o]])))
      x <- ifelse(any, ifelse(is.na(x), "not_selected", "selected"), NA)
    }
    y <- d[[ct[2]]]
    keep <- !is.na(x) & !is.na(y)
    counts <- data.table(x = x[keep], y = y[keep])[, .N, by = .(x, y)]
    m <- xtabs(N ~ x + y, counts)
    suppressWarnings(chisq.test(m, correct = FALSE))
    tables <- tables + 1
  }
}
cat(sprintf("R: %d complete responses, %d frequency tables, %d cross-tables\n", nrow(d), length(freq) + 2, tables))
