package dicom

import "github.com/suyashkumar/dicom/pkg/tag"

// Action is what de-identification does to an attribute: the action codes
// of DICOM PS3.15 Annex E, Table E.1-1 ("Application Level Confidentiality
// Profile Attributes").
type Action byte

// The action codes of Table E.1-1.
const (
	// D: replace with a dummy value of the same VR ("ANONYMOUS", "REMOVED").
	D Action = 'D'
	// Z: replace with a zero-length value.
	Z Action = 'Z'
	// X: remove the attribute.
	X Action = 'X'
	// K: keep the attribute as it is.
	K Action = 'K'
	// C: clean — keep the meaning, drop the identifying part. Dates are
	// moved back by the upload's shift (the Retain Longitudinal Temporal
	// Information with Modified Dates Option, E.3.6); descriptions are kept
	// only when the identifier guard finds nothing in them (the Clean
	// Descriptors Option, E.3.5).
	C Action = 'C'
	// U: replace a UID with another, the same for the same UID throughout
	// the upload (2.25.<128 bits of a keyed hash of the original>).
	U Action = 'U'
)

// profile is the Basic Application Level Confidentiality Profile of PS3.15
// Annex E, Table E.1-1 (2024 editions), for the attributes that appear in
// the images clinicians share (CT, MR, CR/DX, US, XA, NM, SC and their
// references). Where the table leaves a choice (X/Z, X/D, Z/D, X/Z/D) the
// code chosen is the first that keeps the file readable: Z for attributes
// an IOD requires to be present (Type 2), X otherwise. Dates are C under
// the Modified Dates Option; times are K under it, since dates move by
// whole days and a time alone dates nothing. Study, Series and Protocol
// descriptions are C under the Clean Descriptors Option: they say what an
// image shows.
//
// Besides the table, Read and Deidentify apply its general rules: every
// private attribute (odd group) goes, as do overlays and curves (groups
// 60xx and 50xx, which can carry burned-in text), the file preamble, and
// any person name, date or instance UID the table does not list (Z, C and
// U), so an attribute missing here is not left identifying by default.
var profile = map[tag.Tag]Action{
	// File meta information.
	{Group: 0x0002, Element: 0x0003}: U, // Media Storage SOP Instance UID
	{Group: 0x0002, Element: 0x0016}: X, // Source Application Entity Title
	{Group: 0x0002, Element: 0x0100}: X, // Private Information Creator UID
	{Group: 0x0002, Element: 0x0102}: X, // Private Information

	// General study, series, equipment and instance.
	{Group: 0x0008, Element: 0x0012}: C, // Instance Creation Date
	{Group: 0x0008, Element: 0x0013}: K, // Instance Creation Time
	{Group: 0x0008, Element: 0x0014}: U, // Instance Creator UID
	{Group: 0x0008, Element: 0x0015}: X, // Instance Coercion DateTime
	{Group: 0x0008, Element: 0x0018}: U, // SOP Instance UID
	{Group: 0x0008, Element: 0x0020}: C, // Study Date
	{Group: 0x0008, Element: 0x0021}: C, // Series Date
	{Group: 0x0008, Element: 0x0022}: C, // Acquisition Date
	{Group: 0x0008, Element: 0x0023}: C, // Content Date
	{Group: 0x0008, Element: 0x0024}: X, // Overlay Date
	{Group: 0x0008, Element: 0x0025}: X, // Curve Date
	{Group: 0x0008, Element: 0x002A}: C, // Acquisition DateTime
	{Group: 0x0008, Element: 0x0030}: K, // Study Time
	{Group: 0x0008, Element: 0x0031}: K, // Series Time
	{Group: 0x0008, Element: 0x0032}: K, // Acquisition Time
	{Group: 0x0008, Element: 0x0033}: K, // Content Time
	{Group: 0x0008, Element: 0x0034}: X, // Overlay Time
	{Group: 0x0008, Element: 0x0035}: X, // Curve Time
	{Group: 0x0008, Element: 0x0050}: Z, // Accession Number
	{Group: 0x0008, Element: 0x0051}: X, // Issuer of Accession Number Sequence
	{Group: 0x0008, Element: 0x0058}: U, // Failed SOP Instance UID List
	{Group: 0x0008, Element: 0x0080}: X, // Institution Name
	{Group: 0x0008, Element: 0x0081}: X, // Institution Address
	{Group: 0x0008, Element: 0x0082}: X, // Institution Code Sequence
	{Group: 0x0008, Element: 0x0090}: Z, // Referring Physician's Name
	{Group: 0x0008, Element: 0x0092}: X, // Referring Physician's Address
	{Group: 0x0008, Element: 0x0094}: X, // Referring Physician's Telephone Numbers
	{Group: 0x0008, Element: 0x0096}: X, // Referring Physician Identification Sequence
	{Group: 0x0008, Element: 0x009C}: Z, // Consulting Physician's Name
	{Group: 0x0008, Element: 0x009D}: X, // Consulting Physician Identification Sequence
	{Group: 0x0008, Element: 0x0201}: X, // Timezone Offset From UTC
	{Group: 0x0008, Element: 0x1010}: X, // Station Name
	{Group: 0x0008, Element: 0x1030}: C, // Study Description
	{Group: 0x0008, Element: 0x103E}: C, // Series Description
	{Group: 0x0008, Element: 0x1040}: X, // Institutional Department Name
	{Group: 0x0008, Element: 0x1041}: X, // Institutional Department Type Code Sequence
	{Group: 0x0008, Element: 0x1048}: X, // Physician(s) of Record
	{Group: 0x0008, Element: 0x1049}: X, // Physician(s) of Record Identification Sequence
	{Group: 0x0008, Element: 0x1050}: X, // Performing Physician's Name
	{Group: 0x0008, Element: 0x1052}: X, // Performing Physician Identification Sequence
	{Group: 0x0008, Element: 0x1060}: X, // Name of Physician(s) Reading Study
	{Group: 0x0008, Element: 0x1062}: X, // Physician(s) Reading Study Identification Sequence
	{Group: 0x0008, Element: 0x1070}: X, // Operators' Name
	{Group: 0x0008, Element: 0x1072}: X, // Operator Identification Sequence
	{Group: 0x0008, Element: 0x1080}: X, // Admitting Diagnoses Description
	{Group: 0x0008, Element: 0x1084}: X, // Admitting Diagnoses Code Sequence
	{Group: 0x0008, Element: 0x1110}: X, // Referenced Study Sequence
	{Group: 0x0008, Element: 0x1111}: X, // Referenced Performed Procedure Step Sequence
	{Group: 0x0008, Element: 0x1120}: X, // Referenced Patient Sequence
	{Group: 0x0008, Element: 0x1155}: U, // Referenced SOP Instance UID
	{Group: 0x0008, Element: 0x1195}: U, // Transaction UID
	{Group: 0x0008, Element: 0x2111}: X, // Derivation Description
	{Group: 0x0008, Element: 0x3010}: U, // Irradiation Event UID
	{Group: 0x0008, Element: 0x4000}: X, // Identifying Comments

	// Patient.
	{Group: 0x0010, Element: 0x0010}: Z, // Patient's Name
	{Group: 0x0010, Element: 0x0020}: Z, // Patient ID
	{Group: 0x0010, Element: 0x0021}: X, // Issuer of Patient ID
	{Group: 0x0010, Element: 0x0022}: X, // Type of Patient ID
	{Group: 0x0010, Element: 0x0024}: X, // Issuer of Patient ID Qualifiers Sequence
	{Group: 0x0010, Element: 0x0030}: Z, // Patient's Birth Date
	{Group: 0x0010, Element: 0x0032}: X, // Patient's Birth Time
	{Group: 0x0010, Element: 0x0040}: Z, // Patient's Sex
	{Group: 0x0010, Element: 0x0050}: X, // Patient's Insurance Plan Code Sequence
	{Group: 0x0010, Element: 0x0101}: X, // Patient's Primary Language Code Sequence
	{Group: 0x0010, Element: 0x1000}: X, // Other Patient IDs
	{Group: 0x0010, Element: 0x1001}: X, // Other Patient Names
	{Group: 0x0010, Element: 0x1002}: X, // Other Patient IDs Sequence
	{Group: 0x0010, Element: 0x1005}: X, // Patient's Birth Name
	{Group: 0x0010, Element: 0x1010}: X, // Patient's Age
	{Group: 0x0010, Element: 0x1020}: X, // Patient's Size
	{Group: 0x0010, Element: 0x1030}: X, // Patient's Weight
	{Group: 0x0010, Element: 0x1040}: X, // Patient's Address
	{Group: 0x0010, Element: 0x1050}: X, // Insurance Plan Identification
	{Group: 0x0010, Element: 0x1060}: X, // Patient's Mother's Birth Name
	{Group: 0x0010, Element: 0x1080}: X, // Military Rank
	{Group: 0x0010, Element: 0x1081}: X, // Branch of Service
	{Group: 0x0010, Element: 0x1090}: X, // Medical Record Locator
	{Group: 0x0010, Element: 0x1100}: X, // Referenced Patient Photo Sequence
	{Group: 0x0010, Element: 0x2000}: X, // Medical Alerts
	{Group: 0x0010, Element: 0x2110}: X, // Allergies
	{Group: 0x0010, Element: 0x2150}: X, // Country of Residence
	{Group: 0x0010, Element: 0x2152}: X, // Region of Residence
	{Group: 0x0010, Element: 0x2154}: X, // Patient's Telephone Numbers
	{Group: 0x0010, Element: 0x2155}: X, // Patient's Telecom Information
	{Group: 0x0010, Element: 0x2160}: X, // Ethnic Group
	{Group: 0x0010, Element: 0x2180}: X, // Occupation
	{Group: 0x0010, Element: 0x21A0}: X, // Smoking Status
	{Group: 0x0010, Element: 0x21B0}: X, // Additional Patient History
	{Group: 0x0010, Element: 0x21C0}: X, // Pregnancy Status
	{Group: 0x0010, Element: 0x21D0}: X, // Last Menstrual Date
	{Group: 0x0010, Element: 0x21F0}: X, // Patient's Religious Preference
	{Group: 0x0010, Element: 0x2203}: X, // Patient's Sex Neutered
	{Group: 0x0010, Element: 0x2297}: X, // Responsible Person
	{Group: 0x0010, Element: 0x2299}: X, // Responsible Organization
	{Group: 0x0010, Element: 0x4000}: X, // Patient Comments

	// Clinical trial attributes name sponsors, sites and subjects.
	{Group: 0x0012, Element: 0x0010}: X, // Clinical Trial Sponsor Name (table: D; removed, the trial module with it)
	{Group: 0x0012, Element: 0x0020}: X, // Clinical Trial Protocol ID
	{Group: 0x0012, Element: 0x0030}: X, // Clinical Trial Site ID
	{Group: 0x0012, Element: 0x0031}: X, // Clinical Trial Site Name
	{Group: 0x0012, Element: 0x0040}: X, // Clinical Trial Subject ID
	{Group: 0x0012, Element: 0x0042}: X, // Clinical Trial Subject Reading ID

	// Acquisition and equipment.
	{Group: 0x0018, Element: 0x0010}: Z, // Contrast/Bolus Agent
	{Group: 0x0018, Element: 0x1000}: X, // Device Serial Number
	{Group: 0x0018, Element: 0x1002}: U, // Device UID
	{Group: 0x0018, Element: 0x1004}: X, // Plate ID
	{Group: 0x0018, Element: 0x1005}: X, // Generator ID
	{Group: 0x0018, Element: 0x1007}: X, // Cassette ID
	{Group: 0x0018, Element: 0x1008}: X, // Gantry ID
	{Group: 0x0018, Element: 0x1030}: C, // Protocol Name
	{Group: 0x0018, Element: 0x1400}: X, // Acquisition Device Processing Description
	{Group: 0x0018, Element: 0x4000}: X, // Acquisition Comments
	{Group: 0x0018, Element: 0x700A}: X, // Detector ID
	{Group: 0x0018, Element: 0x9424}: X, // Acquisition Protocol Description
	{Group: 0x0018, Element: 0xA003}: X, // Contribution Description

	// Relationship and frame of reference.
	{Group: 0x0020, Element: 0x000D}: U, // Study Instance UID
	{Group: 0x0020, Element: 0x000E}: U, // Series Instance UID
	{Group: 0x0020, Element: 0x0010}: Z, // Study ID
	{Group: 0x0020, Element: 0x0052}: U, // Frame of Reference UID
	{Group: 0x0020, Element: 0x0200}: U, // Synchronization Frame of Reference UID
	{Group: 0x0020, Element: 0x3401}: X, // Modifying Device ID
	{Group: 0x0020, Element: 0x3404}: X, // Modifying Device Manufacturer
	{Group: 0x0020, Element: 0x3406}: X, // Modified Image Description
	{Group: 0x0020, Element: 0x4000}: X, // Image Comments
	{Group: 0x0020, Element: 0x9158}: X, // Frame Comments
	{Group: 0x0020, Element: 0x9161}: U, // Concatenation UID
	{Group: 0x0020, Element: 0x9164}: U, // Dimension Organization UID

	// Palettes.
	{Group: 0x0028, Element: 0x1199}: U, // Palette Color Lookup Table UID
	{Group: 0x0028, Element: 0x1214}: U, // Large Palette Color Lookup Table UID
	{Group: 0x0028, Element: 0x4000}: X, // Image Presentation Comments

	// Study, visit and request.
	{Group: 0x0032, Element: 0x0012}: X, // Study ID Issuer
	{Group: 0x0032, Element: 0x1020}: X, // Scheduled Study Location
	{Group: 0x0032, Element: 0x1021}: X, // Scheduled Study Location AE Title
	{Group: 0x0032, Element: 0x1030}: X, // Reason for Study
	{Group: 0x0032, Element: 0x1032}: X, // Requesting Physician
	{Group: 0x0032, Element: 0x1033}: X, // Requesting Service
	{Group: 0x0032, Element: 0x1060}: X, // Requested Procedure Description
	{Group: 0x0032, Element: 0x1070}: X, // Requested Contrast Agent
	{Group: 0x0032, Element: 0x4000}: X, // Study Comments
	{Group: 0x0038, Element: 0x0004}: X, // Referenced Patient Alias Sequence
	{Group: 0x0038, Element: 0x0010}: X, // Admission ID
	{Group: 0x0038, Element: 0x0011}: X, // Issuer of Admission ID
	{Group: 0x0038, Element: 0x0050}: X, // Special Needs
	{Group: 0x0038, Element: 0x0060}: X, // Service Episode ID
	{Group: 0x0038, Element: 0x0062}: X, // Service Episode Description
	{Group: 0x0038, Element: 0x0300}: X, // Current Patient Location
	{Group: 0x0038, Element: 0x0400}: X, // Patient's Institution Residence
	{Group: 0x0038, Element: 0x0500}: X, // Patient State
	{Group: 0x0038, Element: 0x4000}: X, // Visit Comments

	// Procedure steps, requests and results.
	{Group: 0x0040, Element: 0x0006}: X, // Scheduled Performing Physician's Name
	{Group: 0x0040, Element: 0x0009}: X, // Scheduled Procedure Step ID
	{Group: 0x0040, Element: 0x0241}: X, // Performed Station AE Title
	{Group: 0x0040, Element: 0x0242}: X, // Performed Station Name
	{Group: 0x0040, Element: 0x0243}: X, // Performed Location
	{Group: 0x0040, Element: 0x0244}: X, // Performed Procedure Step Start Date
	{Group: 0x0040, Element: 0x0245}: X, // Performed Procedure Step Start Time
	{Group: 0x0040, Element: 0x0250}: X, // Performed Procedure Step End Date
	{Group: 0x0040, Element: 0x0251}: X, // Performed Procedure Step End Time
	{Group: 0x0040, Element: 0x0253}: X, // Performed Procedure Step ID
	{Group: 0x0040, Element: 0x0254}: X, // Performed Procedure Step Description
	{Group: 0x0040, Element: 0x0275}: X, // Request Attributes Sequence
	{Group: 0x0040, Element: 0x0280}: X, // Comments on the Performed Procedure Step
	{Group: 0x0040, Element: 0x1001}: X, // Requested Procedure ID
	{Group: 0x0040, Element: 0x1004}: X, // Patient Transport Arrangements
	{Group: 0x0040, Element: 0x1005}: X, // Requested Procedure Location
	{Group: 0x0040, Element: 0x1010}: X, // Names of Intended Recipients of Results
	{Group: 0x0040, Element: 0x1400}: X, // Requested Procedure Comments
	{Group: 0x0040, Element: 0x2001}: X, // Reason for the Imaging Service Request
	{Group: 0x0040, Element: 0x2016}: Z, // Placer Order Number / Imaging Service Request
	{Group: 0x0040, Element: 0x2017}: Z, // Filler Order Number / Imaging Service Request
	{Group: 0x0040, Element: 0x2400}: X, // Imaging Service Request Comments
	{Group: 0x0040, Element: 0x3001}: X, // Confidentiality Constraint on Patient Data Description
	{Group: 0x0040, Element: 0xA027}: X, // Verifying Organization
	{Group: 0x0040, Element: 0xA073}: X, // Verifying Observer Sequence
	{Group: 0x0040, Element: 0xA075}: D, // Verifying Observer Name
	{Group: 0x0040, Element: 0xA078}: X, // Author Observer Sequence
	{Group: 0x0040, Element: 0xA07A}: X, // Participant Sequence
	{Group: 0x0040, Element: 0xA07C}: X, // Custodial Organization Sequence
	{Group: 0x0040, Element: 0xA123}: D, // Person Name
	{Group: 0x0040, Element: 0xA124}: U, // UID
	{Group: 0x0040, Element: 0xA730}: X, // Content Sequence
	{Group: 0x0040, Element: 0xDB0C}: U, // Template Extension Organization UID
	{Group: 0x0040, Element: 0xDB0D}: U, // Template Extension Creator UID

	// Presentation, storage and radiotherapy references.
	{Group: 0x0070, Element: 0x0084}: Z, // Content Creator's Name
	{Group: 0x0070, Element: 0x0086}: X, // Content Creator's Identification Code Sequence
	{Group: 0x0088, Element: 0x0140}: U, // Storage Media File-set UID
	{Group: 0x3006, Element: 0x0024}: U, // Referenced Frame of Reference UID
	{Group: 0x3006, Element: 0x00C2}: U, // Related Frame of Reference UID
	{Group: 0x0400, Element: 0x0100}: X, // Digital Signature UID
	{Group: 0x0400, Element: 0x0402}: X, // Referenced Digital Signature Sequence
	{Group: 0x0400, Element: 0x0403}: X, // Referenced SOP Instance MAC Sequence
	{Group: 0x0400, Element: 0x0404}: X, // MAC
	{Group: 0x0400, Element: 0x0550}: X, // Modified Attributes Sequence
	{Group: 0x0400, Element: 0x0561}: X, // Original Attributes Sequence
	{Group: 0x4008, Element: 0x0114}: X, // Physician Approving Interpretation
	{Group: 0xFFFA, Element: 0xFFFA}: X, // Digital Signatures Sequence
	{Group: 0xFFFC, Element: 0xFFFC}: X, // Data Set Trailing Padding
}
