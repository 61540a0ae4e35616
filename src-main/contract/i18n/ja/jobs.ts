/** ja: the "jobs" section of the catalogue. */
export default {
  kind: {
    mediaAnalyse: '動画の確認とサムネイル作成',
    stage1: 'ステージ1：人物中心動画',
    measure: '姿勢・歩行の計測',
    stage2: 'ステージ2：分類',
    train: 'スクリーニングモデルの学習',
    backup: '定期バックアップ',
  },
  status: {
    queued: '待機中',
    running: '実行中',
    done: '完了',
    failed: '失敗',
    cancelled: 'キャンセル済み',
  },
  row: {
    videoTooltip: '動画 {{id}}',
    patient: '患者 {{code}}',
    video: '動画 {{id}}',
    progress: 'ジョブ {{id}} の進捗',
    cancel: 'ジョブ {{id}} をキャンセル',
  },
  panel: {
    title: 'ジョブ',
    region: 'ジョブ',
    active_other: '実行中・待機中 {{count}} 件',
    allJobs: 'すべてのジョブ',
    show: 'ジョブを表示',
    hide: 'ジョブを隠す',
    empty: 'ジョブはまだありません。動画を取り込むと全フレームの確認とサムネイル作成が始まり、その進捗がここに表示されます。',
  },
  column: {
    job: 'ジョブ',
    what: '内容',
    status: '状態',
    progress: '進捗',
    started: '開始',
    took: '所要時間',
    result: '結果',
  },
  elapsed: {
    seconds: '{{seconds}} 秒',
    minutes: '{{minutes}} 分 {{seconds}} 秒',
    hours: '{{hours}} 時間 {{minutes}} 分',
  },
} as const;
