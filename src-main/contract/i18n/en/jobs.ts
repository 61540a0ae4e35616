/** en: the "jobs" section of the catalogue. */
export default {} as const;
