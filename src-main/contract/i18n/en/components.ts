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
} as const;
