/** en: the posture and gait measures, as every screen and report names them. */
export default {
  name: {
    trunkLean: 'Trunk lean',
    headForward: 'Head-forward posture',
    shoulderHipOffset: 'Shoulder-hip offset',
    maxHipFlexion: 'Maximum hip flexion',
    hipRange: 'Hip range of motion',
    cadence: 'Cadence',
  },
  unit: {
    deg: '°',
    trunkLengths: 'trunk lengths',
    stepsPerMinute: 'steps/min',
  },
} as const;
