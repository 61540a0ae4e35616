/** en: the "components" section of the catalogue: the pieces several screens share. */
export default {
  errorNote: {
    dismiss: 'Dismiss',
    dismissLabel: 'Dismiss message',
  },
  researchOnly: {
    banner: 'RESEARCH ONLY — NOT VALIDATED. This model has no clinical validation: do not use its output for patient care.',
  },
  screeningLabels: {
    list: 'Labels',
    researchOnly: 'research only',
    notShownToBeatChance: 'not shown to beat chance',
  },
  screening: {
    status: {
      trained: 'trained',
      accepted: 'accepted',
      acceptedActive: 'accepted (active)',
      retired: 'retired',
    },
    degrees: '{{value}} deg',
    trunkLengths: '{{value}} trunk lengths',
    metric: {
      balancedAccuracy: 'Balanced accuracy',
      accuracy: 'Accuracy',
      sensitivity: 'Sensitivity',
      specificity: 'Specificity',
      f1: 'F1',
      auroc: 'AUROC',
      brier: 'Brier',
    },
  },
} as const;
