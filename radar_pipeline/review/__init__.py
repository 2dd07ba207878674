"""Nothing missed in silence: completeness per notice, the review queue, analysts' corrections."""
