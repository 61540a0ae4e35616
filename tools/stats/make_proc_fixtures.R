#!/usr/bin/env Rscript
# Expected values from R and pROC (Debian r-base 4.2, r-cran-proc 1.18) for WalkScope's tests.
# Run: Rscript tools/stats/make_proc_fixtures.R
# Writes test/fixtures/stats/proc_cases.json (DeLong: AUC, variance, CI, paired test; McNemar,
# exact binomial, Wilson, normal and chi-square values) and test/fixtures/stats/proc_aSAH.csv
# (pROC's aSAH data set, so the TypeScript tests read exactly the data pROC used).
# Random cases are generated, not clinical data. Direction is always explicit:
# levels = c(0, 1), direction = "<" (controls score lower), never pROC's auto-detection.
suppressMessages(library(pROC))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("--file=", "", args[grep("--file=", args)])))
outDir <- file.path(here, "..", "..", "test", "fixtures", "stats")

num <- function(x) ifelse(is.na(x), "null", formatC(x, digits = 17, format = "g"))
vec <- function(x) paste0("[", paste(num(x), collapse = ","), "]")
ivec <- function(x) paste0("[", paste(as.integer(x), collapse = ","), "]")
obj <- function(...) {
  x <- list(...)
  paste0("{", paste0('"', names(x), '":', unlist(x), collapse = ","), "}")
}

roc0 <- function(truth, s) roc(truth, s, levels = c(0, 1), direction = "<", quiet = TRUE)

one_case <- function(label, truth, s1, s2) {
  r1 <- roc0(truth, s1)
  r2 <- roc0(truth, s2)
  ci1 <- as.numeric(ci.auc(r1, method = "delong"))
  ci2 <- as.numeric(ci.auc(r2, method = "delong"))
  t <- roc.test(r1, r2, method = "delong", paired = TRUE)
  obj(label = paste0('"', label, '"'), truth = ivec(truth), scores1 = vec(s1), scores2 = vec(s2),
      auc1 = num(as.numeric(auc(r1))), auc2 = num(as.numeric(auc(r2))),
      var1 = num(var(r1, method = "delong")), var2 = num(var(r2, method = "delong")),
      ci1 = vec(ci1[c(1, 3)]), ci2 = vec(ci2[c(1, 3)]), ci90 = vec(as.numeric(ci.auc(r1, method = "delong", conf.level = 0.9))[c(1, 3)]),
      z = num(as.numeric(t$statistic)), p = num(t$p.value))
}

set.seed(2023)
cases <- character(0)
for (n in c(30, 81, 150, 400)) {
  truth <- rbinom(n, 1, 0.4)
  s1 <- round(rnorm(n, truth * 0.8, 1), 2)      # rounded: ties
  s2 <- 0.6 * s1 + rnorm(n, truth * 0.4, 0.8)  # correlated with s1
  cases <- c(cases, one_case(paste0("n=", n, ", ties in scores1"), truth, s1, s2))
}
# small and awkward: n = 6, heavy ties, a reader on a 0..100 scale
cases <- c(cases, one_case("n=6, two positives", c(0, 1, 0, 1, 0, 0), c(0.1, 0.9, 0.4, 0.4, 0.3, 0.8), c(10, 60, 60, 90, 20, 60)))
cases <- c(cases, one_case("n=12, 3 distinct scores", c(1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0), c(1, 2, 2, 1, 0, 1, 0, 2, 1, 2, 0, 2), c(3, 3, 2, 1, 1, 2, 1, 3, 2, 2, 1, 1)))
# imbalanced: 5 positives in 200
truth <- c(rep(1, 5), rep(0, 195))
s1 <- rnorm(200, truth * 1.2, 1)
cases <- c(cases, one_case("n=200, 5 positives", truth, s1, s1 + rnorm(200, 0, 0.7)))

data(aSAH)
outcome <- as.integer(aSAH$outcome == "Poor")
write.csv(data.frame(outcome = outcome, gos6 = as.integer(as.character(aSAH$gos6)), gender = as.character(aSAH$gender),
                     age = aSAH$age, wfns = as.integer(as.character(aSAH$wfns)), s100b = aSAH$s100b, ndka = aSAH$ndka),
          file.path(outDir, "proc_aSAH.csv"), row.names = FALSE, quote = FALSE)
asah <- one_case("aSAH wfns vs s100b", outcome, as.integer(as.character(aSAH$wfns)), aSAH$s100b)
asah2 <- one_case("aSAH s100b vs ndka", outcome, aSAH$s100b, aSAH$ndka)
ci_ndka <- as.numeric(ci.auc(roc0(outcome, aSAH$ndka), method = "delong"))

mc <- function(b, c) {
  m <- matrix(c(10, c, b, 10), nrow = 2)  # [1,2] = b, [2,1] = c; the diagonal does not matter
  x <- mcnemar.test(m)
  y <- mcnemar.test(m, correct = FALSE)
  obj(b = b, c = c, statistic = num(as.numeric(x$statistic)), p = num(x$p.value),
      statisticUncorrected = num(as.numeric(y$statistic)), pUncorrected = num(y$p.value),
      pExact = num(binom.test(b, b + c, 0.5)$p.value))
}
mcnemars <- c(mc(150, 86), mc(3, 0), mc(0, 7), mc(5, 6), mc(1, 1), mc(12, 2), mc(40, 70), mc(1000, 1100))

wilson <- function(x, n) obj(x = x, n = n, ci = vec(prop.test(x, n, correct = FALSE)$conf.int))
wilsons <- c(wilson(0, 10), wilson(10, 10), wilson(3, 7), wilson(45, 81), wilson(1, 1000), wilson(57, 60))

binom <- function(x, n, p) obj(x = x, n = n, prob = num(p), p = num(binom.test(x, n, p)$p.value), pmf = num(dbinom(x, n, p)))
binoms <- c(binom(3, 10, 0.5), binom(0, 5, 0.5), binom(7, 20, 0.3), binom(15, 20, 0.3), binom(6, 20, 0.3), binom(1, 40, 0.1),
            binom(80, 100, 0.9), binom(95, 100, 0.9), binom(2, 2000, 0.01), binom(35, 2000, 0.01), binom(1000, 2000, 0.5), binom(4, 9, 0.45))

ps <- c(1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.975, 0.99, 0.999, 1 - 1e-10)
zs <- c(-37, -20, -10, -8.2, -5, -3, -1.96, -1, -0.5, -1e-8, 0, 1e-8, 0.5, 1, 1.96, 3, 5, 8.2, 10)
xs <- c(1e-10, 0.001, 0.1, 0.5, 1, 2, 3.841458820694124, 6.635, 10, 20, 50, 100, 300)
normal <- obj(p = vec(ps), qnorm = vec(qnorm(ps)), z = vec(zs), pnorm = vec(pnorm(zs)),
              chisq = vec(xs), pchisq1Upper = vec(pchisq(xs, 1, lower.tail = FALSE)))

json <- paste0('{"proc":"', as.character(packageVersion("pROC")), '","r":"', R.version$major, ".", R.version$minor,
  '","note":"generated random cases, not clinical data; aSAH from pROC",',
  '"cases":[', paste(cases, collapse = ","), '],',
  '"asah":{"wfnsVsS100b":', asah, ',"s100bVsNdka":', asah2, ',"ndkaCi":', vec(ci_ndka[c(1, 3)]), ',"ndkaAuc":', num(ci_ndka[2]), '},',
  '"mcnemar":[', paste(mcnemars, collapse = ","), '],',
  '"wilson":[', paste(wilsons, collapse = ","), '],',
  '"binomial":[', paste(binoms, collapse = ","), '],',
  '"normal":', normal, '}')
writeLines(json, file.path(outDir, "proc_cases.json"))
cat("wrote", file.path(outDir, "proc_cases.json"), "and proc_aSAH.csv\n")
