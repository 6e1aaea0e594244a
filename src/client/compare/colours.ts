/** Five colours that tell lines apart for most colour vision (plan lines are also dashed); shared by the chart and its HTML legend. */
const COLOURS = ['#0b57d0', '#b3261e', '#1a7f37', '#8250df', '#9a6700'] as const;
export const colourOf = (entity: number) => COLOURS[entity % COLOURS.length]!;
