/** ja: words every screen shares (the frame of the app, times, buttons). */
export default {
  app: {
    brand: 'WalkScope',
    tagline: 'オフライン端末 · 成人脊柱変形の歩行スクリーニング',
    mainNavigation: 'メイン',
    connectionLost: 'WalkScope との接続が切れました。再接続しています…',
  },
  nav: {
    patients: '患者',
    jobs: 'ジョブ',
    studies: '読影試験',
    models: 'モデル',
    settings: '設定',
  },
  time: {
    almostDone: 'まもなく完了',
    secondsLeft_other: '残り {{count}} 秒',
    minutesLeft_other: '残り {{count}} 分',
  },
  actions: {
    save: '保存',
    cancel: 'キャンセル',
    close: '閉じる',
    retry: '再試行',
  },
} as const;
