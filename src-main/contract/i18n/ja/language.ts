/** ja: the language setting. */
export default {
  title: '表示言語',
  label: '画面とレポートの言語',
  system: 'このコンピューターと同じ',
  hint: 'レポート（PDF・HTML）と患者サマリーもこの言語で作成されます。選択するとすぐに保存されます。',
} as const;
