/** en: the "jobs" section of the catalogue. */
export default {
  kind: {
    mediaAnalyse: 'Video check and thumbnail',
    stage1: 'Stage 1: person-centred video',
    measure: 'Posture and gait measures',
    stage2: 'Stage 2: classification',
    train: 'Training a screening model',
    backup: 'Scheduled backup',
  },
  status: {
    queued: 'queued',
    running: 'running',
    done: 'done',
    failed: 'failed',
    cancelled: 'cancelled',
  },
  row: {
    videoTooltip: 'Video {{id}}',
    patient: 'patient {{code}}',
    video: 'video {{id}}',
    progress: 'Progress of job {{id}}',
    cancel: 'Cancel job {{id}}',
  },
  panel: {
    title: 'Jobs',
    region: 'Jobs',
    active_one: '{{count}} running or queued',
    active_other: '{{count}} running or queued',
    allJobs: 'All jobs',
    show: 'Show jobs',
    hide: 'Hide jobs',
    empty: 'No jobs yet. Importing a video starts a check of every frame and a thumbnail; its progress appears here.',
  },
  column: {
    job: 'Job',
    what: 'What',
    status: 'Status',
    progress: 'Progress',
    started: 'Started',
    took: 'Took',
    result: 'Result',
  },
  elapsed: {
    seconds: '{{seconds}} s',
    minutes: '{{minutes}} min {{seconds}} s',
    hours: '{{hours}} h {{minutes}} min',
  },
} as const;
