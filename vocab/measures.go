package vocab

// Measures are the accountability measures (追责问责, feature 43) a record names, mildest first.
var Measures = List("measure.talk", "measure.education", "measure.notice", "measure.admonish",
	"measure.organisational", "measure.referral")
