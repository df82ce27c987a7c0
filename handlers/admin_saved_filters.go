package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/storage"
)

// maxFilterName is the longest name of a saved filter, in characters.
const maxFilterName = 30

// checkFilterName returns what is wrong with a saved filter's name (already trimmed), or the
// zero Message.
func checkFilterName(name string) locale.Message {
	switch {
	case name == "":
		return locale.M("filter.name_required")
	case !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0:
		return locale.M("filter.name_bad_characters")
	}
	if n := utf8.RuneCountInString(name); n > maxFilterName {
		return locale.M("filter.name_too_long", maxFilterName, n)
	}
	return locale.Message{}
}

// saveFilter handles POST /admin/filters: the queue's current filter (its fields come as
// hidden inputs) kept under a name for the person who saves it. A bad name shows the queue
// again with the message next to the field and the name as typed.
func (s *Server) saveFilter(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	tax, err := s.taxonomy(c)
	if err != nil {
		return err
	}
	f := tax.knownTag(filterFromValues(form)) // what is saved is what the queue would show
	typed := form.Get("name")
	name := strings.TrimSpace(typed)
	msg := checkFilterName(name)
	if msg.Key == "" {
		u, _ := staffUser(c)
		_, err := s.store.SaveFilter(c.Request().Context(), u.ID, name, filterQuery(f).Encode())
		switch {
		case errors.Is(err, storage.ErrConflict):
			msg = locale.M("filter.name_taken")
		case errors.Is(err, storage.ErrLimit):
			msg = locale.M("filter.too_many", storage.MaxSavedFilters)
		case err != nil:
			return err
		}
	}
	if msg.Key != "" {
		return s.renderQueue(c, http.StatusUnprocessableEntity, f,
			queuePage{FilterName: typed, Errors: s.printer(c).Fields(locale.Fields{"filter_name": msg})})
	}
	return c.Redirect(http.StatusSeeOther, queueURL(f, nil))
}

// deleteFilter handles POST /admin/filters/{id}/delete. Only one's own filters: anyone else's
// answers 404 like one that does not exist. It returns to the queue as it was (the filter's
// fields come as hidden inputs).
func (s *Server) deleteFilter(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return echo.ErrNotFound
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	u, _ := staffUser(c)
	if err := s.store.DeleteSavedFilter(c.Request().Context(), u.ID, id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, queueURL(filterFromValues(form), nil))
}
