//! Keyset paging, for every list: fetch one item more than the page holds; if it came, there is
//! another page, which starts after the page's last item.

/// The first `limit` of `items` (fetched with `limit + 1`), and the cursor of the next page:
/// `cursor_of` the last item kept, or `None` on the last page.
pub fn cut<T, C>(
    mut items: Vec<T>,
    limit: u32,
    cursor_of: impl Fn(&T) -> C,
) -> (Vec<T>, Option<C>) {
    let page = limit as usize;
    if items.len() > page {
        items.truncate(page);
        let next = items.last().map(cursor_of);
        (items, next)
    } else {
        (items, None)
    }
}

#[cfg(test)]
mod tests {
    use super::cut;

    #[test]
    fn one_more_than_the_page_means_another_page() {
        assert_eq!(cut(vec![5, 4, 3], 2, |n| *n), (vec![5, 4], Some(4)));
        assert_eq!(cut(vec![5, 4], 2, |n| *n), (vec![5, 4], None));
        assert_eq!(cut(Vec::<i32>::new(), 2, |n| *n), (vec![], None));
    }
}
