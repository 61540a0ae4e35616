#!/usr/bin/env Rscript
# Expected values from R (Debian r-base 4.2) and pROC 1.18 for WalkScope's MRMC tests.
# Run: Rscript tools/stats/make_mrmc_fixtures.R
# Writes test/fixtures/stats/mrmc_fixtures.json:
# - distributions: pt (lower tail and upper tail), qt, pf (upper tail) and pchisq (upper tail)
#   on grids that include non-integer degrees of freedom (Hillis' df is e.g. 15.26);
# - vandyke: for the Van Dyke reader study (test/fixtures/stats/vandyke.csv), every reader x
#   modality AUC, the DeLong covariance of every pair of them from pROC's var() and cov()
#   (method "delong"), and the case-jackknife covariance ((n-1)/n times the sum of products of
#   deviations of the leave-one-case-out AUCs, each AUC recomputed by pROC);
# - threeModalities: the OR analysis written out in R (the formulas of Hillis, Obuchowski &
#   Berbaum 2008) on Van Dyke with a third modality, the mean of each reader's two scores, so
#   that the t > 2 code paths (F on 2 df, X2 = (t-1) MS(T) / ..., covariance averaging) are
#   checked against an independent implementation.
# Direction is explicit: levels = c(0, 1), direction = "<" (higher scores mean disease).
suppressMessages(library(pROC))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("--file=", "", args[grep("--file=", args)])))
outDir <- file.path(here, "..", "..", "test", "fixtures", "stats")

num <- function(x) ifelse(is.na(x), "null", ifelse(is.infinite(x), ifelse(x > 0, "1e999", "-1e999"), formatC(x, digits = 17, format = "g")))
vec <- function(x) paste0("[", paste(num(x), collapse = ","), "]")
str <- function(x) paste0("[", paste0('"', x, '"', collapse = ","), "]")
obj <- function(...) {
  x <- list(...)
  paste0("{", paste0('"', names(x), '":', unlist(x), collapse = ","), "}")
}
rows <- function(df, cols) {
  paste0("[", paste(apply(df, 1, function(r) obj_from(r, cols)), collapse = ",\n"), "]")
}
obj_from <- function(r, cols) paste0("{", paste0('"', cols, '":', num(as.numeric(r[cols])), collapse = ","), "}")

# --- distributions --------------------------------------------------------------------------
dfs <- c(0.7, 1, 2, 2.5, 4, 12.74, 15.26, 30, 200, 5000)
tq <- c(-40, -6, -2.3, -1, -0.25, 0, 0.1, 0.8, 1.96, 3.5, 12, 300)
tgrid <- expand.grid(t = tq, df = dfs)
tgrid$lower <- pt(tgrid$t, tgrid$df)
tgrid$upper <- pt(tgrid$t, tgrid$df, lower.tail = FALSE)

probs <- c(1e-12, 1e-6, 0.001, 0.025, 0.05, 0.2, 0.5, 0.6, 0.9, 0.975, 0.995, 1 - 1e-9)
qgrid <- expand.grid(p = probs, df = dfs)
qgrid$q <- qt(qgrid$p, qgrid$df)
# how well R's own qt inverts pt, relative to the smaller tail (R's qt is approximate in the
# far tails for df < 1: the tests then check that WalkScope's quantile inverts R's pt instead)
qgrid$rRelativeError <- with(qgrid, abs(ifelse(p < 0.5, pt(q, df), pt(q, df, lower.tail = FALSE)) - pmin(p, 1 - p)) / pmin(p, 1 - p))

fgrid <- expand.grid(f = c(0.01, 0.3, 1, 2.5, 4.4564, 10, 80), df1 = c(1, 2, 3.5, 7), df2 = c(0.9, 4, 15.26, 60, 1000))
fgrid$upper <- pf(fgrid$f, fgrid$df1, fgrid$df2, lower.tail = FALSE)

cgrid <- expand.grid(x = c(0.001, 0.5, 1, 3.84, 5.47595, 20, 150), df = c(1, 2, 3, 4.5, 10, 60))
cgrid$upper <- pchisq(cgrid$x, cgrid$df, lower.tail = FALSE)

# --- Van Dyke: AUCs, DeLong covariances (pROC) and the case jackknife -------------------------
vd <- read.csv(file.path(outDir, "vandyke.csv"), colClasses = c("character", "character", "character", "numeric", "integer"))
modalities <- sort(unique(vd$modality))
readers <- sort(unique(vd$reader))
cases <- sort(unique(vd$case))
truth <- sapply(cases, function(k) vd$truth[vd$case == k][1])
# keys in modality-major order: (modality 1, reader 1), (modality 1, reader 2), ...
keys <- expand.grid(reader = readers, modality = modalities, stringsAsFactors = FALSE)[, c("modality", "reader")]
scoresOf <- function(m, r) {
  s <- vd[vd$modality == m & vd$reader == r, ]
  s$score[match(cases, s$case)]
}
roc0 <- function(y, s) roc(y, s, levels = c(0, 1), direction = "<", quiet = TRUE)
curves <- lapply(seq_len(nrow(keys)), function(k) roc0(truth, scoresOf(keys$modality[k], keys$reader[k])))
aucs <- sapply(curves, function(x) as.numeric(auc(x)))
K <- nrow(keys)
delong <- matrix(0, K, K)
for (a in seq_len(K)) for (b in seq_len(K)) {
  delong[a, b] <- if (a == b) var(curves[[a]], method = "delong") else cov(curves[[a]], curves[[b]], method = "delong")
}
n <- length(cases)
loo <- matrix(0, n, K)
for (k in seq_len(n)) for (j in seq_len(K)) {
  s <- scoresOf(keys$modality[j], keys$reader[j])
  loo[k, j] <- as.numeric(auc(roc0(truth[-k], s[-k])))
}
centred <- sweep(loo, 2, colMeans(loo))
jackknife <- (n - 1) / n * crossprod(centred)

# --- three modalities: the OR analysis by hand -------------------------------------------------
vd3 <- vd[vd$modality == modalities[1], ]
other <- vd[vd$modality == modalities[2], ]
vd3$score <- (vd3$score + other$score[match(paste(vd3$reader, vd3$case), paste(other$reader, other$case))]) / 2
vd3$modality <- "mean"
vd3 <- rbind(vd, vd3)
write.csv(vd3, file.path(outDir, "vandyke_three_modalities.csv"), row.names = FALSE, quote = FALSE)
or_analysis <- function(data) {
  mods <- unique(data$modality)
  rdrs <- unique(data$reader)
  T <- length(mods)
  R <- length(rdrs)
  keys <- expand.grid(reader = rdrs, modality = mods, stringsAsFactors = FALSE)
  sc <- function(m, r) {
    s <- data[data$modality == m & data$reader == r, ]
    s$score[match(cases, s$case)]
  }
  theta <- matrix(0, T, R)
  loo <- matrix(0, n, T * R)
  for (k in seq_len(T * R)) {
    s <- sc(keys$modality[k], keys$reader[k])
    i <- match(keys$modality[k], mods)
    j <- match(keys$reader[k], rdrs)
    theta[i, j] <- as.numeric(auc(roc0(truth, s)))
    for (c in seq_len(n)) loo[c, k] <- as.numeric(auc(roc0(truth[-c], s[-c])))
  }
  cv <- (n - 1) / n * crossprod(sweep(loo, 2, colMeans(loo)))
  mi <- match(keys$modality, mods)
  rj <- match(keys$reader, rdrs)
  sameM <- outer(mi, mi, "==")
  sameR <- outer(rj, rj, "==")
  varE <- mean(diag(cv))
  cov1 <- mean(cv[sameR & !sameM])
  cov2 <- mean(cv[sameM & !sameR])
  cov3 <- mean(cv[!sameM & !sameR])
  tm <- rowMeans(theta)
  rm <- colMeans(theta)
  g <- mean(theta)
  msT <- R * sum((tm - g)^2) / (T - 1)
  msR <- T * sum((rm - g)^2) / (R - 1)
  msTR <- sum((theta - outer(tm, rep(1, R)) - outer(rep(1, T), rm) + g)^2) / ((T - 1) * (R - 1))
  den <- msTR + R * max(cov2 - cov3, 0)
  F <- msT / den
  ddf <- den^2 / (msTR^2 / ((T - 1) * (R - 1)))
  dfr <- varE - cov1 + (R - 1) * max(cov2 - cov3, 0)
  X2 <- (T - 1) * msT / dfr
  Ffc <- msT / msTR
  obj(aucs = paste0("[", paste(apply(theta, 1, vec), collapse = ","), "]"),
      varError = num(varE), cov1 = num(cov1), cov2 = num(cov2), cov3 = num(cov3),
      msT = num(msT), msR = num(msR), msTR = num(msTR),
      f = num(F), ddf = num(ddf), p = num(pf(F, T - 1, ddf, lower.tail = FALSE)),
      stdErr = num(sqrt(2 * den / R)), tCritical = num(qt(0.975, ddf)),
      chiSquare = num(X2), pChiSquare = num(pchisq(X2, T - 1, lower.tail = FALSE)), stdErrFixedReaders = num(sqrt(2 * dfr / R)),
      fFixedCases = num(Ffc), pFixedCases = num(pf(Ffc, T - 1, (T - 1) * (R - 1), lower.tail = FALSE)))
}
threeModalities <- or_analysis(vd3)

mat <- function(m) paste0("[", paste(apply(m, 1, vec), collapse = ",\n"), "]")

json <- paste0(
  "{\n",
  '"r": "', R.version.string, '", "proc": "', as.character(packageVersion("pROC")), '",\n',
  '"distributions": {\n',
  '"t": ', rows(tgrid, c("t", "df", "lower", "upper")), ",\n",
  '"qt": ', rows(qgrid, c("p", "df", "q", "rRelativeError")), ",\n",
  '"fUpper": ', rows(fgrid, c("f", "df1", "df2", "upper")), ",\n",
  '"chiSquareUpper": ', rows(cgrid, c("x", "df", "upper")), "\n},\n",
  '"vandyke": {\n',
  '"modalities": ', str(keys$modality), ", ",
  '"readers": ', str(keys$reader), ",\n",
  '"aucs": ', vec(aucs), ",\n",
  '"deLong": ', mat(delong), ",\n",
  '"jackknife": ', mat(jackknife), "\n},\n",
  '"threeModalities": ', threeModalities, "\n}\n"
)
writeLines(json, file.path(outDir, "mrmc_fixtures.json"))
cat("wrote", file.path(outDir, "mrmc_fixtures.json"), "\n")
