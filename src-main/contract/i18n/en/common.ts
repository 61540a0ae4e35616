/** en: words every screen shares (the frame of the app, times, buttons). */
export default {
  app: {
    brand: 'WalkScope',
    tagline: 'Offline workstation · gait screening for adult spinal deformity',
    mainNavigation: 'Main',
    connectionLost: 'The connection to WalkScope was lost. Reconnecting…',
  },
  nav: {
    patients: 'Patients',
    jobs: 'Jobs',
    studies: 'Studies',
    models: 'Models',
    settings: 'Settings',
  },
  time: {
    almostDone: 'almost done',
    secondsLeft_one: '{{count}} s left',
    secondsLeft_other: '{{count}} s left',
    minutesLeft_one: '{{count}} min left',
    minutesLeft_other: '{{count}} min left',
  },
  actions: {
    save: 'Save',
    cancel: 'Cancel',
    close: 'Close',
    retry: 'Try again',
  },
} as const;
