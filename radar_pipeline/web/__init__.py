"""The analysts' desk (``radar web``): the exposure, a page per notice and the review queue, served."""
