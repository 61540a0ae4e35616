/** ja: the posture and gait measures, as every screen and report names them. */
export default {
  name: {
    trunkLean: '体幹前傾角',
    headForward: '頭部前方偏位',
    shoulderHipOffset: '肩–股関節前後差',
    maxHipFlexion: '最大股関節屈曲角',
    hipRange: '股関節可動域',
    craniovertebralAngle: '頭蓋脊椎角',
    hipFlexionLeft: '股関節屈曲角（左）',
    hipFlexionRight: '股関節屈曲角（右）',
    kneeFlexionLeft: '膝関節屈曲角（左）',
    kneeFlexionRight: '膝関節屈曲角（右）',
    kneeRangeLeft: '膝関節可動域（左）',
    kneeRangeRight: '膝関節可動域（右）',
    cadence: 'ケイデンス',
  },
  unit: {
    deg: '°',
    trunkLengths: '体幹長',
    degrees: '度',
    stepsPerMinute: '歩/分',
  },
} as const;
