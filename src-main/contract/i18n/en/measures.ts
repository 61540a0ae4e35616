/** en: the posture and gait measures, as every screen and report names them. */
export default {
  name: {
    trunkLean: 'Trunk lean',
    headForward: 'Head-forward posture',
    shoulderHipOffset: 'Shoulder-hip offset',
    maxHipFlexion: 'Maximum hip flexion',
    hipRange: 'Hip range of motion',
    craniovertebralAngle: 'Craniovertebral angle',
    hipFlexionLeft: 'Hip flexion, left',
    hipFlexionRight: 'Hip flexion, right',
    kneeFlexionLeft: 'Knee flexion, left',
    kneeFlexionRight: 'Knee flexion, right',
    kneeRangeLeft: 'Knee range, left',
    kneeRangeRight: 'Knee range, right',
    cadence: 'Cadence',
  },
  unit: {
    deg: '°',
    trunkLengths: 'trunk lengths',
    degrees: 'degrees',
    stepsPerMinute: 'steps/min',
  },
} as const;
