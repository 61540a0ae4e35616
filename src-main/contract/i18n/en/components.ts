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
  connection: {
    lost: 'The connection to WalkScope was lost. Check that `npm run serve` is still running, then try again.',
    uploadLost: 'The upload of {{file}} failed: the connection to WalkScope was lost.',
    uploadRefused: 'The upload of {{file}} was refused ({{status}}).',
    uploadRefusedBecause: '{{file}}: {{reason}}',
  },
} as const;
