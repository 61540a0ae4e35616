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
  screening: {
    status: {
      trained: '学習済み',
      accepted: '承認済み',
      acceptedActive: '承認済み（使用中）',
      retired: '廃止',
    },
    degrees: '{{value}}°',
    trunkLengths: '{{value}} 体幹長',
    metric: {
      balancedAccuracy: 'バランス精度',
      accuracy: '正解率',
      sensitivity: '感度',
      specificity: '特異度',
      f1: 'F1',
      auroc: 'AUROC',
      brier: 'Brier スコア',
    },
  },
  connection: {
    lost: 'WalkScope との接続が切れました。`npm run serve` が実行中か確認してから、もう一度お試しください。',
    uploadLost: '{{file}} のアップロードに失敗しました：WalkScope との接続が切れました。',
    uploadRefused: '{{file}} のアップロードは拒否されました（{{status}}）。',
    uploadRefusedBecause: '{{file}}：{{reason}}',
  },
} as const;
