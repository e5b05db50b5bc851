package extractor

import "testing"

func TestDatetime(t *testing.T) {
	runCases(t, []extractCase{
		{"offset", "datetime", "%Y-%m-%dT%H:%M:%S%z", "2020-01-02T03:04:05+0100", "1577930645000000000"},
		{"offset with colon via %z", "datetime", "%Y-%m-%dT%H:%M:%S%z", "2020-01-02T03:04:05+01:00", "1577930645000000000"},
		{"colon offset", "datetime", "%Y-%m-%dT%H:%M:%S%:z", "2020-01-02T03:04:05+05:30", "1577914445000000000"},
		{"offset required", "datetime", "%Y-%m-%dT%H:%M:%S%z", "2020-01-02T03:04:05", ""},
		{"Z needs %#z", "datetime", "%Y-%m-%dT%H:%M:%S%z", "2020-01-02T03:04:05Z", ""},
		{"permissive offset Z", "datetime", "%FT%T%#z", "2020-01-02T03:04:05Z", "1577934245000000000"},
		{"permissive offset hours", "datetime", "%FT%T%#z", "2020-01-02T03:04:05+01", "1577930645000000000"},
		{"naive is utc", "datetime", "%d/%b/%Y:%H:%M:%S", "10/Oct/2000:13:55:36", "971186136000000000"},
		{"apache with offset", "datetime", "%d/%b/%Y:%H:%M:%S %z", "10/Oct/2000:13:55:36 -0700", "971211336000000000"},
		{"zone name alone is not enough", "datetime", "%Y-%m-%d %H:%M:%S %Z", "2020-01-02 03:04:05 UTC", ""},
		{"zone name skipped", "datetime", "%Y-%m-%d %H:%M:%S %Z %z", "2020-01-02 03:04:05 CET +0100", "1577930645000000000"},
		{"fraction", "datetime", "%Y-%m-%d %H:%M:%S%.f", "2020-01-02 03:04:05.123", "1577934245123000000"},
		{"fraction optional", "datetime", "%Y-%m-%d %H:%M:%S%.f", "2020-01-02 03:04:05", "1577934245000000000"},
		{"fraction more than nine digits", "datetime", "%Y-%m-%d %H:%M:%S%.f", "2020-01-02 03:04:05.1234567891", "1577934245123456789"},
		{"percent f is nanoseconds", "datetime", "%Y-%m-%d %H:%M:%S.%f", "2020-01-02 03:04:05.123", "1577934245000000123"},
		{"fixed fraction", "datetime", "%Y-%m-%d %H:%M:%S.%3f", "2020-01-02 03:04:05.123", "1577934245123000000"},
		{"fixed fraction too short", "datetime", "%Y-%m-%d %H:%M:%S.%3f", "2020-01-02 03:04:05.12", ""},
		{"timestamp", "datetime", "%s", "1600000000", "1600000000000000000"},
		{"rfc3339", "datetime", "%+", "2020-01-02T03:04:05.5+01:00", "1577930645500000000"},
		{"rfc3339 Z", "datetime", "%+", "2020-01-02T03:04:05Z", "1577934245000000000"},
		{"twelve hour", "datetime", "%Y-%m-%d %I:%M %p", "2020-01-02 03:04 PM", "1577977440000000000"},
		{"twelve hour lower am", "datetime", "%Y-%m-%d %I:%M %P", "2020-01-02 12:04 am", "1577923440000000000"},
		{"twelve hour needs am pm", "datetime", "%Y-%m-%d %I:%M", "2020-01-02 03:04", ""},
		{"date only is not enough", "datetime", "%Y-%m-%d", "2020-01-02", ""},
		{"seconds optional", "datetime", "%Y-%m-%d %H:%M", "2020-01-02 03:04", "1577934240000000000"},
		{"weekday checked", "datetime", "%a %Y-%m-%d %H:%M", "Mon 2020-01-02 03:04", ""},
		{"weekday ok", "datetime", "%a %Y-%m-%d %H:%M", "thu 2020-01-02 03:04", "1577934240000000000"},
		{"long weekday", "datetime", "%A %Y-%m-%d %H:%M", "Thursday 2020-01-02 03:04", "1577934240000000000"},
		{"long month", "datetime", "%B %d %Y %H:%M", "January 02 2020 03:04", "1577934240000000000"},
		{"long month accepts short", "datetime", "%B %d %Y %H:%M", "Jan 02 2020 03:04", "1577934240000000000"},
		{"day of year", "datetime", "%Y %j %H:%M", "2020 032 00:00", "1580515200000000000"},
		{"two digit year 19xx", "datetime", "%y-%m-%d %H:%M:%S", "99-01-02 03:04:05", "915246245000000000"},
		{"two digit year 20xx", "datetime", "%D %T", "01/02/20 03:04:05", "1577934245000000000"},
		{"space padded day", "datetime", "%b %e %H:%M:%S %Y", "Jan  2 03:04:05 2020", "1577934245000000000"},
		{"unpadded numbers", "datetime", "%Y-%m-%d %H:%M:%S", "2020-1-2 3:4:5", "1577934245000000000"},
		{"literal must match", "datetime", "%Y-%m-%dT%H:%M:%S", "2020-01-02 03:04:05", ""},
		{"trailing input", "datetime", "%Y-%m-%d %H:%M:%S", "2020-01-02 03:04:05 x", ""},
		{"invalid date", "datetime", "%Y-%m-%d %H:%M:%S", "2020-02-30 03:04:05", ""},
		{"hour out of range", "datetime", "%Y-%m-%d %H:%M:%S", "2020-01-02 24:04:05", ""},
		{"before 1970 wraps", "datetime", "%Y-%m-%d %H:%M:%S", "1969-12-31 23:59:59", "18446744072709551616"},
		{"leap second", "datetime", "%Y-%m-%d %H:%M:%S", "2016-12-31 23:59:60", "1483228800000000000"},
		{"unknown specifier never matches", "datetime", "%Q %Y", "x 2020", ""},
		{"percent literal", "datetime", "%Y-%m-%d %H:%M%%", "2020-01-02 03:04%", "1577934240000000000"},
		{"year out of nanosecond range", "datetime", "%Y-%m-%d %H:%M", "2300-01-01 00:00", ""},
		{"week date week zero", "datetime", "%Y-%U-%w %H:%M", "2020-00-4 03:04", "1577934240000000000"},
		{"week date weekday after year end", "datetime", "%Y-%U-%w %H:%M", "2020-00-0 03:04", ""},
		{"week date monday weeks", "datetime", "%Y-%W-%a %H:%M", "2020-01-Mon 00:00", "1578268800000000000"},
		{"week date sunday", "datetime", "%Y-%U-%w %H:%M", "2020-01-0 00:00", "1578182400000000000"},
		{"iso week date", "datetime", "%G-W%V-%u %H:%M", "2020-W01-4 03:04", "1577934240000000000"},
		{"century and year", "datetime", "%C%y-%m-%d %H:%M", "2020-01-02 03:04", "1577934240000000000"},
		{"year agrees with two digits", "datetime", "%Y %y-%m-%d %H:%M", "2020 20-01-02 03:04", "1577934240000000000"},
		{"year conflicts with two digits", "datetime", "%Y %y-%m-%d %H:%M", "2020 19-01-02 03:04", ""},
		{"century alone is not enough", "datetime", "%C-%m-%d %H:%M", "20-01-02 03:04", ""},
		{"day of year out of range", "datetime", "%Y %j %H:%M", "2019 366 00:00", ""},
		{"timestamp with fraction", "datetime", "%s%.f", "1600000000.25", "1600000000250000000"},
		{"timestamp with offset", "datetime", "%s %z", "1600000000 +0100", "1600000000000000000"},
		{"timestamp with matching time", "datetime", "%s %H:%M", "1600000000 12:26", "1600000000000000000"},
		{"timestamp with conflicting time", "datetime", "%s %H:%M", "1600000000 12:27", ""},
		{"timestamp with matching date", "datetime", "%s %Y", "1600000000 2020", "1600000000000000000"},
		{"timestamp with conflicting date", "datetime", "%s %Y", "1600000000 2019", ""},
	})
}

func FuzzDatetime(f *testing.F) {
	for _, s := range [][2]string{
		{"%Y-%m-%dT%H:%M:%S%z", "2020-01-02T03:04:05+0100"}, {"%+", "2020-01-02T03:04:05.5Z"},
		{"%s%.f", "123.456"}, {"%G-W%V-%u %R", "2020-W01-4 03:04"}, {"%#z%", "+0"}, {"%c", "Thu Jan  2 03:04:05 2020"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, format, in string) {
		x := compileDatetime(format)
		x.Extract(strValue(in), true, 0)
	})
}
