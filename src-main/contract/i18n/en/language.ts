/** en: the language setting. */
export default {
  title: 'Language',
  label: 'Language of the screens and reports',
  system: 'Same as this computer',
  hint: 'Reports (PDF, HTML) and the patient summary are made in this language too. Saved at once.',
} as const;
