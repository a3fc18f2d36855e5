# The benchmark's repeat counting in R with data.table, for
# bench/survey/compare.sh, beside compare.R (which does the main file): the
# complete responses' ids from the main file, the repeat's table
# (services.csv) joined to them, then what `coproduce survey analyse --repeat`
# gives for a repeat: responses with at least one instance, instances, mean
# and median instances per complete response (those with none as 0), the
# frequency table of service and the summary of visits.
#
#   Rscript compare_repeat.R RESPONSES.csv SERVICES.csv
suppressMessages(library(data.table))
setDTthreads(2)
args <- commandArgs(trailingOnly = TRUE)
main <- fread(args[1], select = c("id", "submitted_at"), colClasses = "character", na.strings = "",
              showProgress = FALSE)
complete <- main[!is.na(submitted_at), .(response_id = id)]
s <- fread(args[2], colClasses = list(character = c("response_id", "service"), integer = "instance",
                                      numeric = "visits"), na.strings = "", showProgress = FALSE)
s <- s[complete, on = "response_id", nomatch = NULL]
per <- s[, .N, by = response_id]
counts <- c(rep(0L, nrow(complete) - nrow(per)), per$N)
figures <- c(nrow(per), nrow(s), mean(counts), median(counts))
freq <- s[!is.na(service), .N, by = service]
visits <- s$visits[!is.na(s$visits)]
numbers <- c(mean(visits), median(visits), min(visits), max(visits))
cat(sprintf("R repeat: %d complete responses, %d with instances, %d instances, mean %.4f, median %g\n",
            nrow(complete), nrow(per), nrow(s), mean(counts), median(counts)))
