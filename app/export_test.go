package app

// BodyLimit is bodyLimit for the tests outside the package: the most a
// request's body may hold before the server refuses it.
var BodyLimit = bodyLimit
