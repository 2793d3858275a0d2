package bpjs

import "time"

// Programs BPJS Ketenagakerjaan covers trainees with: work accident (JKK) and death (JKM).
const (
	ProgramJKK = "JKK"
	ProgramJKM = "JKM"
)

// RegisterRequest is the body of POST /v1/registrations.
type RegisterRequest struct {
	NIK            string    `json:"nik"`
	Name           string    `json:"name"`
	BirthDate      time.Time `json:"birth_date"`
	Phone          string    `json:"phone,omitempty"`
	Centre         string    `json:"centre"`
	CoverageStart  time.Time `json:"coverage_start"`
	CoverageEnd    time.Time `json:"coverage_end"`
	DeclaredIncome int64     `json:"declared_income"`
	MonthlyFee     int64     `json:"monthly_fee"`
	Programs       []string  `json:"programs"`
}

// RegisterResponse is the answer to a registration.
type RegisterResponse struct {
	KPJ           string    `json:"kpj"`
	CoverageStart time.Time `json:"coverage_start"`
	CoverageEnd   time.Time `json:"coverage_end"`
	Programs      []string  `json:"programs"`
}

// EndRequest is the body of POST /v1/registrations/{kpj}/end.
type EndRequest struct {
	EndDate time.Time `json:"end_date"`
}

// EndResponse is the answer to an early end of coverage.
type EndResponse struct {
	KPJ         string    `json:"kpj"`
	CoverageEnd time.Time `json:"coverage_end"`
}

// ErrorBody is the body of every error answer.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
