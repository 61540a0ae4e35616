#!/usr/bin/env Rscript
# Expected McNemar-on-correctness values from R (Debian r-base 4.2, stats package only) for
# WalkScope's reader-study pair comparison (compareRaters in src-main/domain/stats/comparison.ts).
# Run: Rscript tools/stats/make_mcnemar_fixtures.R
# Writes test/fixtures/stats/mcnemar_correctness.json.
#
# The studies are GENERATED random numbers (two raters, several seeds), not clinical data.
# For each study, R counts the discordant correctness pairs over all cases, within the
# positives (sensitivity) and within the negatives (specificity):
#   b = A right and B wrong, c = A wrong and B right (right: call == truth),
# and computes mcnemar.test(table) (continuity-corrected), mcnemar.test(table, correct = FALSE)
# and binom.test(b, b + c, 0.5). It also records McNemar on the calls (A positive, B negative),
# the different question the comparison used to answer, to show where the two disagree.
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

# McNemar of two logical vectors (TRUE = "yes"): b = x & !y, c = !x & y.
mc <- function(x, y) {
  tab <- table(factor(x, levels = c(TRUE, FALSE)), factor(y, levels = c(TRUE, FALSE)))
  b <- tab[1, 2]
  c <- tab[2, 1]
  if (b + c == 0) {
    # R gives NaN (0/0) and binom.test refuses n = 0; WalkScope reports statistic 0 and p = 1.
    return(obj(cases = length(x), b = b, c = c, statistic = num(0), p = num(1), statisticUncorrected = num(0), pUncorrected = num(1), pExact = num(1), fromR = "false"))
  }
  corrected <- mcnemar.test(tab)
  uncorrected <- mcnemar.test(tab, correct = FALSE)
  obj(cases = length(x), b = b, c = c,
      statistic = num(as.numeric(corrected$statistic)), p = num(corrected$p.value),
      statisticUncorrected = num(as.numeric(uncorrected$statistic)), pUncorrected = num(uncorrected$p.value),
      pExact = num(binom.test(b, b + c, 0.5)$p.value), fromR = "true")
}

one_study <- function(label, seed, truth, callsA, callsB, scoresA, scoresB) {
  rightA <- callsA == truth
  rightB <- callsB == truth
  pos <- truth == 1
  neg <- truth == 0
  obj(label = paste0('"', label, '"'), seed = seed, truth = ivec(truth), callsA = ivec(callsA), callsB = ivec(callsB),
      scoresA = vec(scoresA), scoresB = vec(scoresB),
      correctness = mc(rightA, rightB),
      sensitivity = mc(rightA[pos], rightB[pos]),
      specificity = mc(rightA[neg], rightB[neg]),
      onCalls = mc(callsA == 1, callsB == 1))
}

# A: a reader with a fair threshold; B: a second reader, more or less inclined to call ASD
# (bias), noisier, so that "who calls positive more" and "who is right more" differ.
generate <- function(seed, n, prevalence, bias) {
  set.seed(seed)
  truth <- rbinom(n, 1, prevalence)
  truth[1] <- 1
  truth[2] <- 0  # both classes
  latent <- rnorm(n, truth * 1.2, 1)
  scoresA <- round(pnorm(latent + rnorm(n, 0, 0.5) - 0.6), 4)
  scoresB <- round(pnorm(latent + rnorm(n, 0, 0.9) - 0.6 + bias), 4)
  callsA <- as.integer(scoresA >= 0.5)
  callsB <- as.integer(scoresB >= 0.5)
  one_study(paste0("generated: seed ", seed, ", n=", n, ", prevalence ", prevalence, ", B's bias ", bias), seed, truth, callsA, callsB, scoresA, scoresB)
}

designs <- list(c(1, 40, 0.4, 0), c(2, 81, 0.45, 0.8), c(3, 120, 0.3, -0.7), c(4, 200, 0.5, 1.2),
                c(5, 60, 0.4, 1.5), c(6, 300, 0.2, 0.3), c(7, 25, 0.5, -1), c(8, 500, 0.4, 0.6))
studies <- vapply(designs, function(d) generate(d[1], d[2], d[3], d[4]), character(1))
# hand-made: within the ASD cases the two are never right on different cases (b + c = 0)
studies <- c(studies, one_study("hand-made: n=8, no discordant ASD case", 0, c(1, 1, 1, 0, 0, 0, 0, 1),
                                c(1, 1, 0, 0, 1, 0, 0, 1), c(1, 1, 0, 1, 0, 0, 1, 1),
                                c(0.9, 0.8, 0.3, 0.2, 0.6, 0.1, 0.4, 0.7), c(0.8, 0.9, 0.4, 0.6, 0.3, 0.2, 0.7, 0.6)))

json <- paste0('{"r":"', R.version$major, ".", R.version$minor,
  '","note":"generated random two-rater studies, not clinical data; McNemar on correctness (b = A right and B wrong, c = A wrong and B right) by mcnemar.test and binom.test",',
  '"studies":[', paste(studies, collapse = ","), ']}')
writeLines(json, file.path(outDir, "mcnemar_correctness.json"))
cat("wrote", file.path(outDir, "mcnemar_correctness.json"), "\n")
