package storage

// FamilyCount is one family of the taxonomy (汇总梳理) as the notice board counts it
// (stats.ComputeBoard): the year's opinions that carry it.
type FamilyCount struct {
	Tag
	N int
}

// BoardWithheldFamilies are the families the notice board never counts. They name possible
// breaches of discipline (the eight-point rules and what they cover, red envelopes and
// kickbacks): matters for the discipline inspection office, whose 举报 and letters the board
// already leaves out. A public count of them would publish allegations before anyone has
// looked into them, and in a small unit would point at the people concerned.
var BoardWithheldFamilies = []string{"eightrules", "threepublic", "duty_consumption", "favour_consumption",
	"official_cars", "office_space", "kickbacks"}
