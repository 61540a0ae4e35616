/** ja: the "components" section of the catalogue: the pieces several screens share. */
export default {
  errorNote: {
    dismiss: '閉じる',
    dismissLabel: 'メッセージを閉じる',
  },
  researchOnly: {
    banner: '研究用・未検証：このモデルは臨床的に検証されていません。出力を診療に使用しないでください。',
  },
  screeningLabels: {
    list: 'ラベル',
    researchOnly: '研究用',
    notShownToBeatChance: '偶然以上の性能は未確認',
  },
} as const;
