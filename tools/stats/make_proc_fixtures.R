#!/usr/bin/env Rscript
# Expected values from R's pROC (Debian r-cran-proc) for WalkScope's DeLong tests.
# Run: Rscript tools/stats/make_proc_fixtures.R   (writes test/fixtures/stats/proc_cases.json)
# Random cases are generated, not clinical data; the aSAH data ships with pROC.
suppressMessages(library(pROC))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("--file=", "", args[grep("--file=", args)])))
out <- file.path(here, "..", "..", "test", "fixtures", "stats", "proc_cases.json")

num <- function(x) formatC(x, digits = 17, format = "g")
vec <- function(x) paste0("[", paste(num(x), collapse = ","), "]")
ivec <- function(x) paste0("[", paste(as.integer(x), collapse = ","), "]")

one_case <- function(truth, s1, s2) {
  r1 <- roc(truth, s1, levels = c(0, 1), direction = "<", quiet = TRUE)
  r2 <- roc(truth, s2, levels = c(0, 1), direction = "<", quiet = TRUE)
  ci1 <- ci.auc(r1, method = "delong")
  t <- roc.test(r1, r2, method = "delong", paired = TRUE)
  paste0('{"truth":', ivec(truth), ',"scores1":', vec(s1), ',"scores2":', vec(s2),
         ',"auc1":', num(as.numeric(auc(r1))), ',"auc2":', num(as.numeric(auc(r2))),
         ',"var1":', num(var(r1, method = "delong")),
         ',"ci1":', vec(as.numeric(ci1)[c(1, 3)]),
         ',"z":', num(as.numeric(t$statistic)), ',"p":', num(t$p.value), '}')
}

set.seed(2023)
cases <- character(0)
for (n in c(30, 81, 150)) {
  truth <- rbinom(n, 1, 0.4)
  s1 <- round(rnorm(n, truth * 0.8, 1), 2)      # rounded: ties
  s2 <- 0.6 * s1 + rnorm(n, truth * 0.4, 0.8)  # correlated with s1
  cases <- c(cases, one_case(truth, s1, s2))
}

data(aSAH)
outcome <- as.integer(aSAH$outcome == "Poor")
asah <- one_case(outcome, aSAH$wfns, aSAH$s100b)
r_ndka <- roc(outcome, aSAH$ndka, levels = c(0, 1), direction = "<", quiet = TRUE)
ci_ndka <- as.numeric(ci.auc(r_ndka, method = "delong"))

mc <- mcnemar.test(matrix(c(794, 86, 150, 570), nrow = 2))
mc_unc <- mcnemar.test(matrix(c(794, 86, 150, 570), nrow = 2), correct = FALSE)
bt <- binom.test(86, 86 + 150, 0.5)

json <- paste0('{"proc":"', as.character(packageVersion("pROC")), '","note":"generated random cases, not clinical data; aSAH from pROC",',
  '"cases":[', paste(cases, collapse = ","), '],',
  '"asah":{"wfnsVsS100b":', asah, ',"ndka":', vec(aSAH$ndka), ',"outcome":', ivec(outcome), ',"ndkaCi":', vec(ci_ndka[c(1, 3)]), ',"ndkaAuc":', num(ci_ndka[2]), '},',
  '"mcnemar":{"b":150,"c":86,"statistic":', num(as.numeric(mc$statistic)), ',"p":', num(mc$p.value),
  ',"statisticUncorrected":', num(as.numeric(mc_unc$statistic)), ',"pUncorrected":', num(mc_unc$p.value), ',"pExact":', num(bt$p.value), '}}')
writeLines(json, out)
cat("wrote", out, "\n")
